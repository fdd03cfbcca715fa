package io.agentwire.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local fan-out: the subscriptions of this node per stream. The broker hands every publication to
 * {@link #dispatch}, per stream in offset order; each subscription forwards it to its subscriber, which
 * encodes it through {@link Publication#encoded} (once per wire format for all subscribers).
 */
final class Hub {
    private final ConcurrentHashMap<String, Set<Subscription>> byStream = new ConcurrentHashMap<>();
    private final java.util.concurrent.CopyOnWriteArrayList<Tap> taps = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** An observer of every stream whose name starts with a prefix (see {@link Node#tap}). */
    record Tap(String prefix, Subscriber subscriber) { }

    void dispatch(Publication publication) {
        for (Tap t : taps) {
            if (publication.stream().startsWith(t.prefix())) t.subscriber().onPublication(publication);
        }
        Set<Subscription> subs = byStream.get(publication.stream());
        if (subs == null) return;
        for (Subscription s : subs) s.offer(publication);
    }

    AutoCloseable tap(String prefix, Subscriber subscriber) {
        Tap t = new Tap(prefix, subscriber);
        taps.add(t);
        return () -> taps.remove(t);
    }

    void add(Subscription subscription) {
        byStream.compute(subscription.stream(), (k, set) -> {
            Set<Subscription> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(subscription);
            return s;
        });
    }

    void remove(Subscription subscription) {
        byStream.computeIfPresent(subscription.stream(), (k, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
    }

    /** Terminates every subscription (their subscribers are told {@code reason}); returns how many. */
    int terminateAll(ErrorCode reason) {
        int n = 0;
        for (Set<Subscription> set : byStream.values()) {
            for (Subscription s : set.toArray(new Subscription[0])) {
                s.terminate(reason);
                n++;
            }
        }
        return n;
    }

    int subscribers(String stream) {
        Set<Subscription> s = byStream.get(stream);
        return s == null ? 0 : s.size();
    }

    int streams() {
        return byStream.size();
    }
}
