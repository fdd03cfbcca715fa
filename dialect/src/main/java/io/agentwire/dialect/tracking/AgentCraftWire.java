package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The messages of the {@link Vocabulary#AGENTCRAFT AgentCraft} vocabulary, in the shapes AgentCraft's own server
 * sends and its front end components read (docs/tracking.md, "The AgentCraft vocabulary"): every timestamp in epoch
 * seconds; session updates carry both {@code data} (the change, for components that read
 * {@code message.data.…}) and {@code state} (the whole session, for those that read
 * {@code message.state.active_agents}). Agent statuses are AgentCraft's: lower case in {@code state}
 * ({@code idle, analyzing, processing, collaborating, completing, finished, error}), upper case in {@code data}.
 */
final class AgentCraftWire {
    /** Outputs in a broadcast {@code state} (AgentCraft's server sends its last 5) and in {@code session_state} (10). */
    static final int STATE_OUTPUTS = 5;
    static final int ANSWER_OUTPUTS = 10;
    /** Lines a {@code session_logs} answer holds (AgentCraft's server sends its last 50). */
    static final int ANSWER_LOGS = 50;

    private AgentCraftWire() { }

    /**
     * AgentCraft's status of an agent: spec 002's, with COMPLETED as {@code finished}, and a run past its
     * {@code aggregate.completed} or {@code agent.final_answer} (its work done, its answer being delivered) as
     * {@code completing}. Lower case.
     */
    static String status(AgentEntry a) {
        String event = a.metadata().path("event").asText("");
        if (a.status().active() && (event.equals("aggregate.completed") || event.equals("agent.final_answer"))) {
            return "completing";
        }
        return a.status() == AgentStatus.COMPLETED ? "finished" : a.status().name().toLowerCase(Locale.ROOT);
    }

    /** The session's phase: the latest active agent's status, else {@code completed}, {@code error} or {@code idle}. */
    static String phase(TrackedSession s) {
        AgentEntry active = s.latestActive();
        if (active != null) return status(active);
        AgentStatus last = s.lastStatus();
        if (last == AgentStatus.COMPLETED) return "completed";
        return last == AgentStatus.ERROR ? "error" : "idle";
    }

    /** {@code state}: the session as AgentCraft's server describes it, with its last {@code outputs} outputs. */
    static ObjectNode state(TrackedSession s, int outputs) {
        ObjectNode st = TrackingJson.NODES.objectNode().put("session_id", s.id()).put("query", s.query());
        List<TrackedSession.Member> agents = s.roundAgents();
        st.put("total_agents", agents.size());
        ArrayNode active = st.putArray("active_agents");
        ArrayNode completed = st.putArray("completed_agents");
        for (TrackedSession.Member m : agents) {
            AgentEntry a = m.agent();
            ObjectNode o = active.addObject().put("agent_id", a.agentId()).put("agent_name", a.agentName())
                    .put("status", status(a)).put("current_task", a.message()).put("progress", a.progress())
                    .put("details", a.message());
            o.set("started_at", TrackingJson.epochSeconds(m.startedMillis()));
            o.set("updated_at", TrackingJson.epochSeconds(a.timeMillis()));
            o.set("metadata", a.metadata());
            if (a.status() == AgentStatus.COMPLETED) completed.add(a.agentName());
        }
        st.put("current_phase", phase(s)).put("overall_progress", s.overallProgress());
        st.set("started_at", TrackingJson.epochSeconds(s.createdMillis()));
        st.putNull("estimated_completion");
        ArrayNode crew = st.putArray("crew_output");
        for (ObjectNode o : s.lastOutputs(outputs)) crew.add(output(o));
        return st.put("status", s.status()).put("source", s.source());
    }

    /** A session update ({@code session_started}, {@code agent_status_update}, …): {@code data} and {@code state}. */
    static byte[] update(String type, TrackedSession s, ObjectNode data, ObjectNode state, long nowMillis) {
        ObjectNode m = message(type, nowMillis).put("session_id", s.id());
        m.set("data", data.put("session_id", s.id()));
        m.set("state", state);
        return TrackingJson.bytes(m);
    }

    /** {@code data} of {@code session_started}: the query and the names of the round's agents. */
    static ObjectNode started(TrackedSession s) {
        ObjectNode d = TrackingJson.NODES.objectNode().put("query", s.query());
        ArrayNode names = d.putArray("agent_names");
        for (TrackedSession.Member m : s.roundAgents()) names.add(m.agent().agentName());
        return d;
    }

    /** {@code data} of {@code agent_status_update}: the agent, its status in upper case. */
    static ObjectNode agent(AgentEntry a) {
        ObjectNode d = TrackingJson.NODES.objectNode().put("agent_id", a.agentId()).put("agent_name", a.agentName())
                .put("status", status(a).toUpperCase(Locale.ROOT)).put("progress", a.progress())
                .put("current_task", a.message()).put("details", a.message());
        d.set("updated_at", TrackingJson.epochSeconds(a.timeMillis()));
        d.set("metadata", a.metadata());
        return d;
    }

    /** An agent status that names no session (a backend's report without {@code session_id}): {@code data} only. */
    static byte[] agentWithoutSession(AgentEntry a, long nowMillis) {
        ObjectNode m = message("agent_status_update", nowMillis).putNull("session_id");
        m.set("data", agent(a).putNull("session_id"));
        return TrackingJson.bytes(m);
    }

    /** {@code data} of {@code crew_output}, from a kept output ({@code {agent, type, output, timestamp, …}}). */
    static ObjectNode crewOutput(ObjectNode o) {
        return TrackingJson.NODES.objectNode().put("output_type", o.path("type").asText("output"))
                .put("content", o.path("output").asText("")).put("agent_name", o.path("agent").asText(""));
    }

    /** One {@code crewai_log}: a kept log line ({@code {timestamp, level, agent, message, details}}) of a session. */
    static byte[] crewaiLog(String sessionId, ObjectNode line, long nowMillis) {
        ObjectNode m = message("crewai_log", nowMillis);
        if (sessionId == null) m.putNull("session_id"); else m.put("session_id", sessionId);
        String agent = line.path("agent").asText("");
        String text = line.path("message").asText("");
        ObjectNode log = m.putObject("log");
        log.set("timestamp", TrackingJson.epochSeconds(millis(line, nowMillis)));
        log.put("datetime", line.path("timestamp").asText(""));
        if (sessionId == null) log.putNull("session_id"); else log.put("session_id", sessionId);
        log.put("level", line.path("level").asText("info").toUpperCase(Locale.ROOT)).put("logger", "agentwire.tracking")
                .put("message", agent.isEmpty() ? text : agent + ": " + text).put("raw_message", text)
                .put("source", "agentwire").put("event_type", eventType(line));
        ObjectNode info = log.putObject("agent_info");
        if (!agent.isEmpty()) info.put("agent_name", agent);
        JsonNode task = line.path("details").path("task_id");
        if (task.isTextual()) info.put("task", task.textValue());
        log.set("details", line.path("details"));
        return TrackingJson.bytes(m);
    }

    /** AgentCraft's event types ({@code task_start, task_complete, delegation, thinking, error, tool_use, general}). */
    static String eventType(ObjectNode line) {
        if (line.path("level").asText("").equals("error")) return "error";
        return switch (line.path("details").path("event").asText("")) {
            case "plan.start", "solver.start", "aggregate.start" -> "task_start";
            case "plan.completed", "solver.completed", "aggregate.completed", "agent.final_answer",
                 "pipeline.completed" -> "task_complete";
            case "agent_collaboration" -> "delegation";
            case "agent.thinking", "agent.partial_answer" -> "thinking";
            case "agent.tool_call", "agent.tool_result" -> "tool_use";
            default -> "general";
        };
    }

    static byte[] activeSessions(Collection<TrackedSession> sessions, long nowMillis) {
        ObjectNode m = message("active_sessions", nowMillis);
        ObjectNode data = m.putObject("data").put("total_sessions", sessions.size());
        ArrayNode list = data.putArray("sessions");
        for (TrackedSession s : sessions) {
            ObjectNode o = list.addObject().put("session_id", s.id()).put("query", s.query()).put("phase", phase(s))
                    .put("progress", s.overallProgress()).put("agents", s.roundAgents().size())
                    .put("agents_active", s.agentsActive()).put("status", s.status());
            o.set("started_at", TrackingJson.epochSeconds(s.createdMillis()));
        }
        return TrackingJson.bytes(m);
    }

    static byte[] sessionState(TrackedSession s, long nowMillis) {
        ObjectNode m = message("session_state", nowMillis).put("session_id", s.id());
        m.set("state", state(s, ANSWER_OUTPUTS));
        return TrackingJson.bytes(m);
    }

    /** The session's last {@value #ANSWER_LOGS} lines, as AgentCraft's log entries; none for an unknown session. */
    static byte[] sessionLogs(String sessionId, TrackedSession s, long nowMillis) {
        ObjectNode m = message("session_logs", nowMillis).put("session_id", sessionId);
        ArrayNode logs = m.putArray("logs");
        if (s != null) {
            for (ObjectNode l : s.lastLogs(ANSWER_LOGS)) {
                ObjectNode e = logs.addObject();
                e.set("timestamp", TrackingJson.epochSeconds(millis(l, nowMillis)));
                String agent = l.path("agent").asText("");
                e.put("type", agent.isEmpty() ? "crew_activity" : "agent_activity").put("agent", agent)
                        .put("level", l.path("level").asText("info")).put("message", l.path("message").asText(""));
                e.set("details", l.path("details"));
            }
        }
        return TrackingJson.bytes(m);
    }

    static byte[] sessionNotFound(String sessionId, long nowMillis) {
        return TrackingJson.bytes(message("session_not_found", nowMillis).put("session_id", sessionId));
    }

    static byte[] logStreamingStarted(String sessionId, long nowMillis) {
        ObjectNode m = message("log_streaming_started", nowMillis);
        if (sessionId == null) m.putNull("session_id"); else m.put("session_id", sessionId);
        return TrackingJson.bytes(m.put("message", "log streaming enabled"));
    }

    static byte[] logStreamingStopped(long nowMillis) {
        return TrackingJson.bytes(message("log_streaming_stopped", nowMillis).put("message", "log streaming disabled"));
    }

    private static ObjectNode output(ObjectNode o) {
        ObjectNode e = TrackingJson.NODES.objectNode();
        e.set("timestamp", TrackingJson.epochSeconds(millis(o, 0)));
        e.put("type", o.path("type").asText("output")).put("content", o.path("output").asText(""))
                .put("agent", o.path("agent").asText(""));
        if (o.has("task_id")) e.set("task_id", o.get("task_id"));
        return e;
    }

    /** The ISO {@code timestamp} of a kept line or output, in epoch milliseconds ({@code otherwise} if unreadable). */
    private static long millis(ObjectNode o, long otherwise) {
        try {
            return Instant.parse(o.path("timestamp").asText("")).toEpochMilli();
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    private static ObjectNode message(String type, long nowMillis) {
        ObjectNode m = TrackingJson.NODES.objectNode().put("type", type);
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        return m;
    }
}
