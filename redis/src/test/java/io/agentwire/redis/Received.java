package io.agentwire.redis;

import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import io.agentwire.core.Subscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A subscriber that records what it receives, for tests. */
final class Received implements Subscriber {
    final List<Publication> publications = new CopyOnWriteArrayList<>();
    volatile ErrorCode terminated;

    @Override public void onPublication(Publication p) { publications.add(p); }

    @Override public void onTerminated(ErrorCode reason) { terminated = reason; }

    List<Long> offsets() {
        List<Long> out = new ArrayList<>();
        for (Publication p : publications) out.add(p.offset());
        return out;
    }

    List<String> payloads() {
        List<String> out = new ArrayList<>();
        for (Publication p : publications) out.add(p.data().toString());
        return out;
    }

    void awaitCount(int n) {
        await(() -> publications.size() >= n, "received " + publications.size() + " of " + n);
    }

    /** Waits (generously: the machine is shared) until {@code condition} holds. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out: " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
