package io.agentwire.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A subscriber that records what it receives, for tests. */
final class Recorder implements Subscriber {
    final List<Publication> received = new CopyOnWriteArrayList<>();
    volatile ErrorCode terminated;

    @Override public void onPublication(Publication p) { received.add(p); }

    @Override public void onTerminated(ErrorCode reason) { terminated = reason; }

    List<Long> offsets() {
        List<Long> out = new ArrayList<>();
        for (Publication p : received) out.add(p.offset());
        return out;
    }

    long last() {
        return received.isEmpty() ? 0 : received.get(received.size() - 1).offset();
    }

    void awaitCount(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("received " + received.size() + " of " + n);
            Thread.sleep(2);
        }
    }
}
