package io.agentwire.dialect.envelope;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connections are attached to which session, so that a session's other connections hear that one dropped
 * ({@code system.connection_lost}). Written by {@link Resumer} (attach) and {@link EnvelopeConnection} (detach,
 * close); read by nothing else. Thread-safe.
 */
final class Attachments {
    private final ConcurrentHashMap<String, Set<EnvelopeConnection>> bySession = new ConcurrentHashMap<>();

    void attached(EnvelopeConnection c, String sessionId) {
        bySession.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    void detached(EnvelopeConnection c, String sessionId) {
        bySession.computeIfPresent(sessionId, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }

    /** Tells the session's other connections that {@code c} dropped. */
    void connectionLost(EnvelopeConnection c, String sessionId) {
        Set<EnvelopeConnection> others = bySession.get(sessionId);
        if (others == null) return;
        for (EnvelopeConnection o : others) {
            if (o != c) o.sendControl(Messages.connectionLost(sessionId, c.id()));
        }
    }

    /** Connections attached to {@code sessionId} (for tests). */
    int count(String sessionId) {
        Set<EnvelopeConnection> set = bySession.get(sessionId);
        return set == null ? 0 : set.size();
    }
}
