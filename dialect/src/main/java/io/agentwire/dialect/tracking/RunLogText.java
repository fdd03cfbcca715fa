package io.agentwire.dialect.tracking;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The log line of an envelope session event, in spec 002's shape: {@code {timestamp, level, agent, message,
 * details}}. {@code details} names the event, its run and seq (and its task, tool call or error code, where it has
 * one); the message is a readable sentence from the event's content, at most {@value #MAX_MESSAGE} characters.
 */
final class RunLogText {
    static final int MAX_MESSAGE = 1000;

    private RunLogText() { }

    static ObjectNode line(String event, JsonNode e, String agent, long seq, long timeMillis) {
        JsonNode c = e.path("content");
        JsonNode meta = e.path("metadata");
        ObjectNode details = TrackingJson.NODES.objectNode().put("event", event).put("seq", seq);
        if (meta.hasNonNull("run_id")) details.put("run_id", meta.get("run_id").asText());
        if (e.hasNonNull("step_id")) details.put("step_id", e.get("step_id").asText());
        if (c.hasNonNull("task_id")) details.put("task_id", c.get("task_id").asText());
        if (c.hasNonNull("tool")) details.put("tool", c.get("tool").asText());
        if (meta.hasNonNull("call_id")) details.put("call_id", meta.get("call_id").asText());
        if (meta.hasNonNull("code")) details.put("code", meta.get("code").asText());
        if (event.equals(RunEvent.COMPLETED)) details.put("status", meta.path("status").asText("completed"));
        ObjectNode line = TrackingJson.NODES.objectNode().put("timestamp", TrackingJson.iso(timeMillis))
                .put("level", level(event, meta)).put("agent", agent)
                .put("message", clip(message(event, c, meta), MAX_MESSAGE));
        line.set("details", details);
        return line;
    }

    static String level(String event, JsonNode meta) {
        if (event.equals("agent.error") || event.startsWith("error.") && !event.equals("error.timeout")) return "error";
        if (event.equals("error.timeout") || event.endsWith(".cancelled")) return "warning";
        if (event.equals(RunEvent.COMPLETED)) {
            return switch (meta.path("status").asText("completed")) {
                case "completed" -> "info";
                case "failed", "interrupted" -> "error";
                default -> "warning";
            };
        }
        return "info";
    }

    static String message(String event, JsonNode c, JsonNode meta) {
        return switch (event) {
            case "plan.start" -> "Planning: " + c.path("query").asText("");
            case "plan.completed" -> "Planned " + c.path("tasks").size() + " tasks: " + descriptions(c.path("tasks"));
            case "agent.user_confirm" -> "Waiting for the user: " + c.path("prompt").asText("");
            case "plan.cancelled" -> "Plan cancelled: " + c.path("reason").asText("");
            case "solver.start" -> "Task " + c.path("task_id").asText("?") + " started: " + c.path("description").asText("");
            case "agent.tool_call" -> "Calling tool " + c.path("tool").asText("?");
            case "agent.tool_result" -> "Tool result: " + c.path("result").asText("");
            case "solver.completed" -> "Task " + c.path("task_id").asText("?") + " completed: " + c.path("result").asText("");
            case "solver.cancelled" -> "Task " + c.path("task_id").asText("?") + " cancelled";
            case "aggregate.start" -> "Combining the results of " + c.path("tasks").asText("the") + " tasks";
            case "aggregate.completed" -> "Results combined";
            case "agent.final_answer" -> "Final answer: " + c.path("text").asText("");
            case "agent.session_closed" -> "Session closed";
            case RunEvent.COMPLETED -> "Run " + meta.path("status").asText("completed")
                    + (meta.has("duration_ms") ? " after " + meta.path("duration_ms").asLong() + " ms" : "");
            default -> {
                String text = c.hasNonNull("text") ? c.get("text").asText() : c.path("message").asText("");
                yield text.isEmpty() ? event : text;
            }
        };
    }

    /** {@code s} cut to {@code max} characters (with an ellipsis when cut). */
    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String descriptions(JsonNode tasks) {
        StringBuilder b = new StringBuilder();
        for (JsonNode t : tasks) {
            if (!b.isEmpty()) b.append("; ");
            b.append(t.path("description").asText(t.path("task_id").asText("")));
        }
        return b.toString();
    }
}
