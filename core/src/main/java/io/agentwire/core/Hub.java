package io.agentwire.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Local fan-out: the subscriptions of this node per stream. The broker hands every publication to
 * {@link #dispatch}, per stream in offset order; each subscription forwards it to its subscriber, which
 * encodes it through {@link Publication#encoded} (once per wire format for all subscribers).
 */
final class Hub {
    private final ConcurrentHashMap<String, Members<Subscription>> byStream = new ConcurrentHashMap<>();
    private final java.util.concurrent.CopyOnWriteArrayList<Tap> taps = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** An observer of every stream whose name starts with a prefix (see {@link Node#tap}). */
    record Tap(String prefix, Subscriber subscriber) { }

    void dispatch(Publication publication) {
        for (Tap t : taps) {
            if (publication.stream().startsWith(t.prefix())) t.subscriber().onPublication(publication);
        }
        Members<Subscription> subs = byStream.get(publication.stream());
        if (subs == null) return;
        for (Subscription s : subs) s.offer(publication);
    }

    AutoCloseable tap(String prefix, Subscriber subscriber) {
        Tap t = new Tap(prefix, subscriber);
        taps.add(t);
        return () -> taps.remove(t);
    }

    void add(Subscription subscription) {
        byStream.compute(subscription.stream(), (k, subs) -> Members.with(subs, subscription));
    }

    void remove(Subscription subscription) {
        byStream.computeIfPresent(subscription.stream(), (k, subs) -> Members.without(subs, subscription));
    }

    /** Terminates every subscription (their subscribers are told {@code reason}); returns how many. */
    int terminateAll(ErrorCode reason) {
        int n = 0;
        for (Members<Subscription> subs : byStream.values()) {
            for (Object s : subs.toArray()) {
                ((Subscription) s).terminate(reason);
                n++;
            }
        }
        return n;
    }

    int subscribers(String stream) {
        Members<Subscription> s = byStream.get(stream);
        return s == null ? 0 : s.size();
    }

    int streams() {
        return byStream.size();
    }
}
