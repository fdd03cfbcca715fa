package io.agentwire.client;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The envelopes a client receives, as a blocking queue: a virtual thread can loop over {@link #next(Duration)}
 * instead of registering listeners. Each stream sees every envelope delivered after it was opened (duplicates
 * already dropped); close it when done.
 */
public final class EventStream implements AutoCloseable {
    private final AgentWireClient client;
    private final LinkedBlockingQueue<Envelope> queue = new LinkedBlockingQueue<>();

    EventStream(AgentWireClient client) {
        this.client = client;
    }

    void offer(Envelope e) {
        queue.offer(e);
    }

    /** The next envelope, or {@code null} if none came within {@code timeout}. */
    public Envelope next(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next envelope named {@code event}, skipping others, or {@code null} if none came within {@code timeout}. */
    public Envelope next(String event, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Envelope e = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null || e.event().equals(event)) return e;
        }
    }

    @Override
    public void close() {
        client.unsubscribe(this);
    }
}
