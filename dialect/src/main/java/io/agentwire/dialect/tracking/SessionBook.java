package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The tracked sessions, bounded: a session with no active agent is forgotten {@code retention} after its last
 * update; one with active agents that has not been updated for {@code max(retention, 1 h)} is forgotten too (its
 * reporter went away); beyond {@code maxSessions} the least recently updated idle session (or, if none is idle,
 * the least recently updated) makes room. Confined to the tracker's thread.
 */
final class SessionBook {
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private final LinkedHashMap<String, TrackedSession> sessions = new LinkedHashMap<>();
    private final int maxSessions;
    private final int maxLogs;
    private final long retentionMillis;
    private final long staleMillis;

    SessionBook(TrackingConfig config) {
        this.maxSessions = config.maxSessions();
        this.maxLogs = config.logLinesPerSession();
        this.retentionMillis = config.sessionRetention().toMillis();
        this.staleMillis = Math.max(retentionMillis, STALE_AFTER.toMillis());
    }

    TrackedSession get(String id) {
        return sessions.get(id);
    }

    /**
     * The session, created (from {@code source}: {@code envelope} or {@code api}) if unknown. Returns the ids of
     * sessions forgotten to make room in {@code evicted}.
     */
    TrackedSession getOrCreate(String id, String source, long nowMillis, List<String> evicted) {
        TrackedSession s = sessions.get(id);
        if (s != null) return s;
        while (sessions.size() >= maxSessions) evicted.add(evictOne());
        s = new TrackedSession(id, source, maxLogs, nowMillis);
        sessions.put(id, s);
        return s;
    }

    /** Forgets the sessions past their retention; returns their ids. */
    List<String> sweep(long nowMillis) {
        List<String> gone = new ArrayList<>();
        Iterator<TrackedSession> it = sessions.values().iterator();
        while (it.hasNext()) {
            TrackedSession s = it.next();
            long quiet = nowMillis - s.updatedMillis();
            if (quiet >= staleMillis || quiet >= retentionMillis && s.agentsActive() == 0) {
                it.remove();
                gone.add(s.id());
            }
        }
        return gone;
    }

    /** {@code active_sessions.data.sessions}: every tracked session, in the order they were first seen. */
    ArrayNode summaries() {
        ArrayNode a = TrackingJson.NODES.arrayNode();
        for (TrackedSession s : sessions.values()) a.add(s.summary());
        return a;
    }

    /** Every tracked session, in the order they were first seen (a live view: read it, do not keep it). */
    java.util.Collection<TrackedSession> all() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    private String evictOne() {
        TrackedSession victim = null;
        for (TrackedSession s : sessions.values()) {
            boolean idle = s.agentsActive() == 0;
            boolean victimIdle = victim != null && victim.agentsActive() == 0;
            if (victim == null || idle && !victimIdle
                    || idle == victimIdle && s.updatedMillis() < victim.updatedMillis()) {
                victim = s;
            }
        }
        sessions.remove(victim.id());
        return victim.id();
    }
}
