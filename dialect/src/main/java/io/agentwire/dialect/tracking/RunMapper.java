package io.agentwire.dialect.tracking;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns one event of an envelope session (docs/agents.md: {@code plan.*}, {@code solver.*}, {@code aggregate.*},
 * {@code agent.*}, {@code pipeline.completed}) into what the tracking dialect shows: the run's agent status and
 * progress, a log line, and an output for {@code crew_output}. Each run is one agent ({@code agent_id} = the run
 * id).
 *
 * <pre>
 * plan.start            ANALYZING       5 %   (the session's query becomes the plan's query)
 * plan.completed        ANALYZING      15 %   (the number of tasks is known from here)
 * agent.user_confirm    unchanged             "Waiting for the user: …"
 * solver.start/.completed PROCESSING  20 → 80 % by tasks done
 * aggregate.start       COLLABORATING  85 %   (the tasks' results are combined)
 * aggregate.completed   COLLABORATING  95 %
 * agent.final_answer    unchanged      98 %
 * agent.error           ERROR
 * pipeline.completed    completed → COMPLETED 100 %; failed, interrupted → ERROR; cancelled, rejected, other → IDLE
 * </pre>
 */
final class RunMapper {
    /** What one event changes; any part may be null. */
    record Update(AgentEntry status, ObjectNode log, ObjectNode output) { }

    private final String defaultAgent;

    RunMapper(String defaultAgent) {
        this.defaultAgent = defaultAgent;
    }

    Update apply(TrackedSession s, JsonNode e, long seq, long nowMillis) {
        String event = e.path("event").asText("");
        JsonNode content = e.path("content");
        JsonNode meta = e.path("metadata");
        long time = timeOf(e, nowMillis);
        String runId = meta.path("run_id").textValue();
        if (runId == null) {
            return new Update(null, RunLogText.line(event, e, defaultAgent, seq, time), null);
        }
        String named = meta.path("agent").textValue();
        boolean hasName = named != null && !named.isBlank();
        RunProgress run = s.run(runId, hasName ? named : defaultAgent);
        if (hasName) run.agentName = named; // a run that began with unnamed events (a remote agent's) takes its name
        ObjectNode log = RunLogText.line(event, e, run.agentName, seq, time);
        String message = status(s, run, event, content, meta);
        if (event.equals(RunEvent.COMPLETED)) s.endRun(runId);
        ObjectNode output = output(event, content, run, time);
        if (message == null) return new Update(null, log, output);
        ObjectNode m = TrackingJson.NODES.objectNode().put("session_id", s.id()).put("run_id", runId)
                .put("source", "envelope").put("event", event).put("seq", seq)
                .put("tasks_done", run.tasksDone);
        if (run.tasksTotal != null) m.put("tasks_total", run.tasksTotal);
        if (run.taskId != null) m.put("task_id", run.taskId);
        if (event.equals(RunEvent.COMPLETED)) {
            m.put("run_status", meta.path("status").asText("completed"));
            if (meta.has("duration_ms")) m.set("duration_ms", meta.get("duration_ms"));
        }
        AgentEntry status = new AgentEntry(runId, run.agentName, run.status, run.progress, message, m, time);
        return new Update(status, log, output);
    }

    /** Advances the run for {@code event}; returns the status message, or null when the status does not change. */
    private static String status(TrackedSession s, RunProgress run, String event, JsonNode content, JsonNode meta) {
        switch (event) {
            case "plan.start" -> {
                s.query(content.path("query").asText(""));
                run.advance(AgentStatus.ANALYZING, 5);
                return "Planning: " + RunLogText.clip(s.query(), 200);
            }
            case "plan.completed" -> {
                run.tasksTotal = content.path("tasks").size();
                run.advance(AgentStatus.ANALYZING, 15);
                return "Planned " + run.tasksTotal + " tasks";
            }
            case "agent.user_confirm" -> {
                run.advance(run.status, run.progress);
                return "Waiting for the user: " + RunLogText.clip(content.path("prompt").asText(""), 200);
            }
            case "solver.start" -> {
                String description = content.path("description").asText("");
                if (s.query().isEmpty()) s.query("Tasks: " + description);
                run.taskId = content.path("task_id").asText(null);
                run.advance(AgentStatus.PROCESSING, run.solvingProgress());
                return "Task " + run.taskId + ": " + RunLogText.clip(description, 200);
            }
            case "solver.completed" -> {
                run.tasksDone++;
                String task = content.path("task_id").asText(run.taskId);
                run.taskId = null;
                run.advance(AgentStatus.PROCESSING, run.solvingProgress());
                return "Task " + task + " done";
            }
            case "aggregate.start" -> {
                run.advance(AgentStatus.COLLABORATING, 85);
                return "Combining the results of " + content.path("tasks").asInt(run.tasksDone) + " tasks";
            }
            case "aggregate.completed" -> {
                run.advance(AgentStatus.COLLABORATING, 95);
                return "Results combined";
            }
            case "agent.final_answer" -> {
                run.advance(run.status, 98);
                return "Final answer ready";
            }
            case "agent.error" -> {
                run.advance(AgentStatus.ERROR, run.progress);
                return RunLogText.clip(content.path("message").asText("The agent failed."), 500);
            }
            case RunEvent.COMPLETED -> {
                return completed(run, meta);
            }
            default -> {
                return null;
            }
        }
    }

    private static String completed(RunProgress run, JsonNode meta) {
        String st = meta.path("status").asText("completed");
        String took = meta.has("duration_ms") ? " in " + meta.path("duration_ms").asLong() + " ms" : "";
        switch (st) {
            case "completed" -> {
                run.advance(AgentStatus.COMPLETED, 100);
                return "Completed" + took;
            }
            case "failed" -> {
                run.advance(AgentStatus.ERROR, run.progress);
                return "Failed" + took;
            }
            case "interrupted" -> {
                run.advance(AgentStatus.ERROR, run.progress);
                return "Interrupted: the server stopped during the run";
            }
            case "cancelled" -> {
                run.advance(AgentStatus.IDLE, run.progress);
                return "Cancelled" + took;
            }
            case "rejected" -> {
                run.advance(AgentStatus.IDLE, run.progress);
                return "Plan rejected by the user";
            }
            default -> {
                run.advance(AgentStatus.IDLE, run.progress);
                return "Ended (" + RunLogText.clip(st, 50) + ")" + took;
            }
        }
    }

    private static ObjectNode output(String event, JsonNode content, RunProgress run, long time) {
        String type;
        String text;
        switch (event) {
            case "solver.completed" -> { type = "task_result"; text = content.path("result").asText(""); }
            case "agent.final_answer" -> { type = "final_answer"; text = content.path("text").asText(""); }
            default -> { return null; }
        }
        ObjectNode o = TrackingJson.NODES.objectNode().put("agent", run.agentName).put("run_id", run.runId)
                .put("type", type);
        if (content.hasNonNull("task_id")) o.put("task_id", content.get("task_id").asText());
        return o.put("output", RunLogText.clip(text, RunLogText.MAX_MESSAGE)).put("timestamp", TrackingJson.iso(time));
    }

    /** The event's own ISO timestamp (when it happened), or {@code nowMillis} if it has none. */
    private static long timeOf(JsonNode e, long nowMillis) {
        String ts = e.path("timestamp").textValue();
        if (ts == null) return nowMillis;
        try {
            return Instant.parse(ts).toEpochMilli();
        } catch (DateTimeParseException ex) {
            return nowMillis;
        }
    }
}
