package io.agentwire.dialect.envelope;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Publication;
import io.agentwire.core.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a session as {@code agent.state_exported} carries it, folded from the session's events: its runs
 * and their phase, the confirmations still waiting for an answer, the conversation so far, and the last seq the
 * snapshot covers. Derived, never stored: after a restart it is rebuilt from the durable history.
 */
final class StateSnapshot {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StateSnapshot() { }

    static ObjectNode of(Session s, List<Publication> events, long throughSeq) {
        Map<String, ObjectNode> runs = new LinkedHashMap<>();
        Map<String, ObjectNode> pending = new LinkedHashMap<>();
        ArrayNode conversation = JSON.arrayNode();
        boolean closed = s.status() == Session.Status.CLOSED;
        for (Publication p : events) {
            JsonNode e = p.data();
            String event = e.path("event").asText();
            String runId = e.path("metadata").path("run_id").textValue();
            if (event.equals("agent.session_closed")) closed = true;
            if (runId == null) continue;
            ObjectNode run = runs.computeIfAbsent(runId, id -> JSON.objectNode().put("run_id", id).put("status", "running")
                    .put("phase", "starting").put("started_seq", p.offset()));
            run.put("last_seq", p.offset());
            // any later event of a run means its pending confirmation was answered (or timed out)
            pending.values().removeIf(step -> runId.equals(step.path("run_id").textValue()) && !event.equals("agent.user_confirm"));
            JsonNode content = e.path("content");
            switch (event) {
                case "plan.start" -> {
                    run.put("phase", "planning");
                    if (content.hasNonNull("query")) {
                        conversation.add(JSON.objectNode().put("role", "user").put("text", content.get("query").asText())
                                .put("run_id", runId).put("seq", p.offset()));
                    }
                }
                case "plan.completed" -> run.set("tasks", content.path("tasks").deepCopy());
                case "agent.user_confirm" -> {
                    run.put("phase", "awaiting_confirmation");
                    ObjectNode step = JSON.objectNode().put("step_id", e.path("step_id").asText()).put("run_id", runId)
                            .put("seq", p.offset());
                    step.set("prompt", content.path("prompt").deepCopy());
                    step.set("options", content.path("options").deepCopy());
                    if (e.path("metadata").has("timeout_ms")) step.set("timeout_ms", e.path("metadata").get("timeout_ms"));
                    pending.put(step.get("step_id").asText(), step);
                }
                case "solver.start" -> {
                    run.put("phase", "solving");
                    run.put("current_task", content.path("task_id").asText());
                }
                case "solver.completed" -> run.remove("current_task");
                case "aggregate.start" -> run.put("phase", "aggregating");
                case "agent.final_answer" -> {
                    run.put("final_answer", content.path("text").asText());
                    conversation.add(JSON.objectNode().put("role", "agent").put("text", content.path("text").asText())
                            .put("run_id", runId).put("seq", p.offset()));
                }
                case RunEvent.COMPLETED -> {
                    run.put("phase", "done");
                    run.put("status", e.path("metadata").path("status").asText("completed"));
                }
                default -> { }
            }
        }
        ObjectNode state = JSON.objectNode();
        state.put("session_id", s.id());
        state.put("status", closed ? "closed" : "open");
        state.put("last_seq", throughSeq);
        ArrayNode runList = state.putArray("runs");
        runs.values().forEach(runList::add);
        ArrayNode open = state.putArray("open_runs");
        runs.values().stream().filter(r -> r.path("status").asText().equals("running")).forEach(r -> open.add(r.get("run_id").asText()));
        ArrayNode steps = state.putArray("pending_confirmations");
        pending.values().forEach(steps::add);
        state.set("conversation", conversation);
        return state;
    }
}
