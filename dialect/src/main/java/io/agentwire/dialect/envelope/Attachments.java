package io.agentwire.dialect.envelope;

import io.agentwire.core.Members;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connections are attached to which session, so that a session's other connections hear that one dropped
 * ({@code system.connection_lost}). Written by {@link Resumer} (attach) and {@link EnvelopeConnection} (detach,
 * close); read by nothing else. Thread-safe.
 */
final class Attachments {
    private final ConcurrentHashMap<String, Members<EnvelopeConnection>> bySession = new ConcurrentHashMap<>();

    void attached(EnvelopeConnection c, String sessionId) {
        bySession.compute(sessionId, (k, members) -> Members.with(members, c));
    }

    void detached(EnvelopeConnection c, String sessionId) {
        bySession.computeIfPresent(sessionId, (k, members) -> Members.without(members, c));
    }

    /** Tells the session's other connections that {@code c} dropped. */
    void connectionLost(EnvelopeConnection c, String sessionId) {
        Members<EnvelopeConnection> others = bySession.get(sessionId);
        if (others == null) return;
        for (EnvelopeConnection o : others) {
            if (o != c) o.sendControl(Messages.connectionLost(sessionId, c.id()));
        }
    }

    /** Connections attached to {@code sessionId} (for tests). */
    int count(String sessionId) {
        Members<EnvelopeConnection> set = bySession.get(sessionId);
        return set == null ? 0 : set.size();
    }
}
