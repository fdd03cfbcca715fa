package io.agentwire.bench.load;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Bounds the handshakes in flight: a permit per pending connection, given back once it is ready or failed. */
final class Gate {
    private final Semaphore permits;
    private final int size;

    Gate(int size) {
        this.size = size;
        this.permits = new Semaphore(size);
    }

    boolean acquire(long deadlineNanos) throws InterruptedException {
        return permits.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void release() {
        permits.release();
    }

    /** Waits until every pending connection settled (or the deadline passed). */
    void drain(long deadlineNanos) throws InterruptedException {
        if (permits.tryAcquire(size, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            permits.release(size);
        }
    }
}
