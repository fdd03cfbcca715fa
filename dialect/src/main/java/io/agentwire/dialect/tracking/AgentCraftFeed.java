package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The dashboards of the {@link Vocabulary#AGENTCRAFT AgentCraft} vocabulary and what they are sent when the
 * tracking state changes — the {@link Board} calls it after every change; it encodes each message once for all of
 * them (rule 7), and nothing at all while none is connected. Confined to the tracker's thread.
 *
 * <pre>
 * a session is first tracked, or becomes active again   session_started
 * an agent's status changes                              agent_status_update
 * the session's phase changes                            phase_update
 * an output (a task's result, the final answer)          crew_output
 * an agent turns ERROR                                   session_error
 * the last active agent finished, COMPLETED              session_completed, then session_complete
 * a log line                                             crewai_log (unless the dashboard stopped log streaming)
 * </pre>
 */
final class AgentCraftFeed {
    /** What a session looked like before a change. */
    record Before(boolean isNew, int active, String phase) { }

    private final Set<Dashboard> dashboards = new LinkedHashSet<>();

    boolean isEmpty() {
        return dashboards.isEmpty();
    }

    int size() {
        return dashboards.size();
    }

    Before before(TrackedSession s, boolean isNew) {
        return new Before(isNew, s.agentsActive(), AgentCraftWire.phase(s));
    }

    /**
     * After a change of {@code s}: {@code agent} the agent status it applied (or null) and {@code previous} that
     * agent's status before; {@code output} an output it added (or null). Returns how many dashboards were sent the
     * agent's status.
     */
    int changed(TrackedSession s, Before b, AgentEntry agent, AgentStatus previous, ObjectNode output, long now) {
        if (dashboards.isEmpty()) return 0;
        ObjectNode state = AgentCraftWire.state(s, AgentCraftWire.STATE_OUTPUTS);
        int active = s.agentsActive();
        int sent = 0;
        if (b.isNew() || b.active() == 0 && active > 0) {
            broadcast(AgentCraftWire.update("session_started", s, AgentCraftWire.started(s), state, now));
        }
        if (agent != null) {
            sent = broadcast(AgentCraftWire.update("agent_status_update", s, AgentCraftWire.agent(agent), state, now));
        }
        String phase = AgentCraftWire.phase(s);
        if (!b.isNew() && !phase.equals(b.phase())) {
            broadcast(AgentCraftWire.update("phase_update", s, TrackingJson.NODES.objectNode().put("phase", phase),
                    state, now));
        }
        if (output != null) {
            broadcast(AgentCraftWire.update("crew_output", s, AgentCraftWire.crewOutput(output), state, now));
        }
        if (agent != null && agent.status() == AgentStatus.ERROR && previous != AgentStatus.ERROR) {
            ObjectNode data = TrackingJson.NODES.objectNode().put("error", agent.message())
                    .put("agent_name", agent.agentName());
            broadcast(AgentCraftWire.update("session_error", s, data, state, now));
        }
        if (b.active() > 0 && active == 0 && s.lastStatus() == AgentStatus.COMPLETED) {
            ObjectNode data = TrackingJson.NODES.objectNode().put("status", "completed");
            broadcast(AgentCraftWire.update("session_completed", s, data, state, now));
            broadcast(AgentCraftWire.update("session_complete", s, data, state, now));
        }
        return sent;
    }

    /** An agent status that names no session. */
    int agentWithoutSession(AgentEntry a, long now) {
        return dashboards.isEmpty() ? 0 : broadcast(AgentCraftWire.agentWithoutSession(a, now));
    }

    /**
     * New log lines of a session ({@code sessionId} null: of none), to the dashboards that stream logs; returns how
     * many were sent them.
     */
    int logs(String sessionId, List<ObjectNode> lines, long now) {
        if (dashboards.isEmpty()) return 0;
        List<byte[]> encoded = new ArrayList<>(lines.size());
        for (ObjectNode l : lines) encoded.add(AgentCraftWire.crewaiLog(sessionId, l, now));
        int n = 0;
        for (Dashboard d : dashboards) {
            if (!d.crewLogs) continue;
            boolean sent = true;
            for (byte[] bytes : encoded) sent &= d.send(bytes);
            if (sent) n++;
        }
        return n;
    }

    /** The list of sessions changed: re-sent to every dashboard (encoded once, only if one is connected). */
    void sessionsChanged(Collection<TrackedSession> sessions, long now) {
        if (!dashboards.isEmpty()) broadcast(AgentCraftWire.activeSessions(sessions, now));
    }

    /**
     * A new dashboard gets the list as it is now (encoded for it: the list's phases and progress change more often
     * than the list is re-sent).
     */
    void register(Dashboard d, Collection<TrackedSession> sessions, long now) {
        dashboards.add(d);
        d.send(AgentCraftWire.activeSessions(sessions, now));
    }

    void unregister(Dashboard d) {
        dashboards.remove(d);
    }

    private int broadcast(byte[] bytes) {
        int n = 0;
        for (Dashboard d : dashboards) if (d.send(bytes)) n++;
        return n;
    }
}
