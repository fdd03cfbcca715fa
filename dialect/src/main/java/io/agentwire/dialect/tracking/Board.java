package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The tracking state and its fan-out, confined to the tracker's one thread (so it needs no locks): the tracked
 * sessions, the connected dashboards, which dashboard streams which session's logs, and the last
 * {@code active_sessions} message. Every message for several dashboards is encoded once and the same bytes are
 * queued to each (rule 7); queueing never blocks. {@code active_sessions} is re-sent when a session appears, goes,
 * or changes its query, status or number of active agents — coalesced: changes made by the tasks already queued
 * go out as one message.
 */
final class Board {
    private final SessionBook book;
    private final RunMapper mapper;
    private final LongSupplier clock;
    private final Runnable flushLater;
    private final Consumer<String> onTracked;
    private final Set<Dashboard> dashboards = new LinkedHashSet<>();
    private final AgentCraftFeed agentCraft = new AgentCraftFeed();
    private final Map<String, Set<Dashboard>> streams = new HashMap<>();
    private byte[] activeSessions;
    private boolean dirty = true;
    private boolean flushScheduled;

    Board(SessionBook book, RunMapper mapper, LongSupplier clock, Runnable flushLater) {
        this(book, mapper, clock, flushLater, sid -> { });
    }

    /**
     * @param flushLater queues {@link #flushActiveSessions()} behind the tasks already queued
     * @param onTracked told the id of every envelope session that starts being tracked (the tracker journals it)
     */
    Board(SessionBook book, RunMapper mapper, LongSupplier clock, Runnable flushLater, Consumer<String> onTracked) {
        this.book = book;
        this.mapper = mapper;
        this.clock = clock;
        this.flushLater = flushLater;
        this.onTracked = onTracked;
    }

    /**
     * An event of an envelope session ({@code session:<id>} stream). A run's first event starts tracking it. Returns
     * how many messages it sent to dashboards.
     */
    int onSessionEvent(Publication p) {
        JsonNode e = p.data();
        String sid = e.path("session_id").textValue();
        if (sid == null) sid = p.stream().substring(p.stream().indexOf(':') + 1);
        long now = clock.getAsLong();
        boolean known = book.get(sid) != null;
        TrackedSession s = e.path("metadata").hasNonNull("run_id") ? session(sid, "envelope", now) : book.get(sid);
        if (s == null || !s.apply(p.offset())) return 0;
        if (!known) onTracked.accept(sid);
        ObjectNode before = s.summary();
        AgentCraftFeed.Before was = agentCraft.before(s, !known);
        RunMapper.Update u = mapper.apply(s, e, p.offset(), now);
        s.touch(now);
        AgentStatus previous = null;
        int sent = 0;
        if (u.status() != null) {
            previous = s.statusOf(u.status().agentId());
            s.put(u.status());
            sent += broadcast(Outbound.agentStatus(u.status()));
        }
        if (u.output() != null) s.addOutput(u.output());
        sent += agentCraft.changed(s, was, u.status(), previous, u.output(), now);
        if (u.log() != null) sent += addLogs(s, List.of(u.log()), now);
        changed(s, known ? before : null);
        return sent;
    }

    int onStatus(AgentStatusReport r) {
        long now = clock.getAsLong();
        AgentEntry a = AgentEntry.of(r, now);
        int sent;
        if (r.sessionId() != null) {
            boolean known = book.get(r.sessionId()) != null;
            TrackedSession s = session(r.sessionId(), "api", now);
            ObjectNode before = s.summary();
            AgentCraftFeed.Before was = agentCraft.before(s, !known);
            AgentStatus previous = s.statusOf(a.agentId());
            s.query(r.query());
            s.put(a);
            s.touch(now);
            changed(s, before);
            sent = agentCraft.changed(s, was, a, previous, null, now);
        } else {
            sent = agentCraft.agentWithoutSession(a, now);
        }
        return broadcast(Outbound.agentStatus(a)) + sent;
    }

    int onCollaboration(CollaborationReport c) {
        long now = clock.getAsLong();
        ObjectNode details = c.metadata().deepCopy().put("event", "agent_collaboration")
                .put("collaboration_type", c.collaborationType()).put("secondary_agent", c.secondaryAgent());
        ObjectNode line = logLine(now, "info", c.primaryAgent(), c.primaryAgent() + " → " + c.secondaryAgent()
                + " (" + c.collaborationType() + ")" + (c.reason().isEmpty() ? "" : ": " + c.reason()), details);
        int sent = broadcast(Outbound.collaboration(c, now));
        if (c.sessionId() != null) {
            TrackedSession s = session(c.sessionId(), "api", now);
            s.touch(now);
            keepAndStream(s, List.of(line), now);
            return sent + agentCraft.logs(s.id(), List.of(line), now);
        }
        return sent + agentCraft.logs(null, List.of(line), now);
    }

    /** Returns how many dashboards streaming the session were sent the lines. */
    int onLogs(LogReport r) {
        long now = clock.getAsLong();
        TrackedSession s = session(r.sessionId(), "api", now);
        List<ObjectNode> lines = new ArrayList<>(r.lines().size());
        for (LogReport.Line l : r.lines()) lines.add(logLine(now, l.level(), l.agent(), l.message(), l.details()));
        s.touch(now);
        return addLogs(s, lines, now);
    }

    void register(Dashboard d) {
        if (dirty) flushActiveSessions();
        if (d.vocabulary == Vocabulary.AGENTCRAFT) {
            agentCraft.register(d, book.all(), clock.getAsLong());
            return;
        }
        dashboards.add(d);
        d.send(activeSessions);
    }

    void unregister(Dashboard d) {
        dashboards.remove(d);
        agentCraft.unregister(d);
        stopStreaming(d);
    }

    void sendState(Dashboard d, String sid) {
        TrackedSession s = book.get(sid);
        long now = clock.getAsLong();
        if (d.vocabulary == Vocabulary.AGENTCRAFT) {
            if (s == null) d.sendError(AgentCraftWire.sessionNotFound(sid, now), ErrorCode.SESSION_NOT_FOUND);
            else d.send(AgentCraftWire.sessionState(s, now));
            return;
        }
        if (s == null) d.sendError(notFound(Inbound.GET_SESSION_STATE, sid, now), ErrorCode.SESSION_NOT_FOUND);
        else d.send(Outbound.sessionState(sid, s.state(), now));
    }

    void sendLogs(Dashboard d, String sid) {
        TrackedSession s = book.get(sid);
        long now = clock.getAsLong();
        if (d.vocabulary == Vocabulary.AGENTCRAFT) {
            d.send(AgentCraftWire.sessionLogs(sid, s, now)); // as AgentCraft's server: no lines for an unknown session
            return;
        }
        if (s == null) d.sendError(notFound(Inbound.GET_SESSION_LOGS, sid, now), ErrorCode.SESSION_NOT_FOUND);
        else d.send(Outbound.sessionLogs(sid, s.logs(), false, now));
    }

    /**
     * Spec 002: streams the session's new log lines to {@code d} (one session per dashboard; it may start later).
     * AgentCraft: every session's lines go to {@code d} again as {@code crewai_log} (as AgentCraft's server, which
     * streams them all; the session id only labels the acknowledgement).
     */
    void startStreaming(Dashboard d, String sid) {
        if (d.vocabulary == Vocabulary.AGENTCRAFT) {
            d.crewLogs = true;
            d.send(AgentCraftWire.logStreamingStarted(sid, clock.getAsLong()));
            return;
        }
        stopStreaming(d);
        streams.computeIfAbsent(sid, k -> new LinkedHashSet<>()).add(d);
        d.streamingSession = sid;
    }

    /** {@code stop_log_streaming}: AgentCraft's dashboards get no more {@code crewai_log} lines, and an acknowledgement. */
    void stopRequested(Dashboard d) {
        if (d.vocabulary == Vocabulary.AGENTCRAFT) {
            d.crewLogs = false;
            d.send(AgentCraftWire.logStreamingStopped(clock.getAsLong()));
            return;
        }
        stopStreaming(d);
    }

    void stopStreaming(Dashboard d) {
        String sid = d.streamingSession;
        if (sid == null) return;
        d.streamingSession = null;
        Set<Dashboard> set = streams.get(sid);
        if (set != null && set.remove(d) && set.isEmpty()) streams.remove(sid);
    }

    void sweep() {
        if (!book.sweep(clock.getAsLong()).isEmpty()) markDirty();
    }

    void flushActiveSessions() {
        flushScheduled = false;
        if (!dirty) return;
        dirty = false;
        activeSessions = Outbound.activeSessions(book.summaries(), clock.getAsLong());
        broadcast(activeSessions);
        agentCraft.sessionsChanged(book.all(), clock.getAsLong());
    }

    int sessions() {
        return book.size();
    }

    int dashboards() {
        return dashboards.size() + agentCraft.size();
    }

    private TrackedSession session(String sid, String source, long now) {
        List<String> evicted = new ArrayList<>(0);
        TrackedSession s = book.getOrCreate(sid, source, now, evicted);
        if (!evicted.isEmpty()) markDirty();
        return s;
    }

    /** Keeps the lines; returns how many dashboards were sent them (streaming the session, or AgentCraft's). */
    private int addLogs(TrackedSession s, List<ObjectNode> lines, long now) {
        return keepAndStream(s, lines, now) + agentCraft.logs(s.id(), lines, now);
    }

    /** Keeps the lines and sends them to spec 002's dashboards streaming the session; returns how many. */
    private int keepAndStream(TrackedSession s, List<ObjectNode> lines, long now) {
        for (ObjectNode l : lines) s.addLog(l);
        Set<Dashboard> watching = streams.get(s.id());
        if (watching == null) return 0;
        ArrayNode batch = TrackingJson.NODES.arrayNode();
        lines.forEach(batch::add);
        byte[] bytes = Outbound.sessionLogs(s.id(), batch, true, now);
        int n = 0;
        for (Dashboard d : watching) if (d.send(bytes)) n++;
        return n;
    }

    /** {@code before}: the session's summary before the change, or null if it is new. */
    private void changed(TrackedSession s, ObjectNode before) {
        if (before == null || !before.equals(s.summary())) markDirty();
    }

    private void markDirty() {
        dirty = true;
        if (!flushScheduled) {
            flushScheduled = true;
            flushLater.run();
        }
    }

    private int broadcast(byte[] bytes) {
        int n = 0;
        for (Dashboard d : dashboards) if (d.send(bytes)) n++;
        return n;
    }

    private static ObjectNode logLine(long now, String level, String agent, String message, ObjectNode details) {
        ObjectNode line = TrackingJson.NODES.objectNode().put("timestamp", TrackingJson.iso(now)).put("level", level)
                .put("agent", agent).put("message", message);
        line.set("details", details);
        return line;
    }

    private static byte[] notFound(String type, String sid, long now) {
        return Outbound.encode(Outbound.error(ErrorCode.SESSION_NOT_FOUND, "no tracked session '" + sid
                + "': unknown, or forgotten after it ended", "session_id", type, sid, now));
    }
}
