package io.agentwire.transport.engineio;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sessions in the order they entered a state that ends after one fixed age (waiting for the layer above, closing):
 * the server's periodic sweep drains the expired head, so no session needs a timer of its own. Thread-safe.
 */
final class AgeQueue {
    private record Entry(EngineIoSession session, long since) { }

    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final long maxAgeNanos;

    AgeQueue(long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
    }

    void add(EngineIoSession s, long now) {
        queue.add(new Entry(s, now));
    }

    /**
     * Drops the head's sessions that left the state ({@code stillIn} false) and hands those older than the maximum
     * age to {@code expire}, oldest first, up to the first one still young.
     */
    void sweep(long now, Predicate<EngineIoSession> stillIn, Consumer<EngineIoSession> expire) {
        Entry e;
        while ((e = queue.peek()) != null) {
            if (stillIn.test(e.session()) && now - e.since() <= maxAgeNanos) return;
            if (queue.remove(e) && stillIn.test(e.session())) expire.accept(e.session());
        }
    }

    /**
     * Hands the oldest session still in the state to {@code expire} if it is at least {@code minAgeNanos} old; false
     * if there is none that old.
     */
    boolean expireOldest(long now, long minAgeNanos, Predicate<EngineIoSession> stillIn,
                         Consumer<EngineIoSession> expire) {
        Entry e;
        while ((e = queue.peek()) != null) {
            if (!stillIn.test(e.session())) {
                queue.remove(e);
            } else if (now - e.since() < minAgeNanos) {
                return false;
            } else if (queue.remove(e)) {
                expire.accept(e.session());
                return true;
            }
        }
        return false;
    }

    int size() {
        return queue.size();
    }
}
