package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.RunEvent;
import java.util.Iterator;

/**
 * Turns the events of one run (docs/agents.md: what runs publish on {@code session:<id>}) into spec 001's
 * {@code agent_event {event_type, data}} and remembers what the final {@code query_complete} needs. One instance per
 * run; not thread-safe (the run's subscription calls it in offset order).
 *
 * <p><b>Native runs</b>: an event that names a document type is passed through one to one as
 * {@code agent_event {event_type, data: content}} — the toolsmith agent's {@code toolsmith.<event_type>} events
 * (docs/toolsmith.md, "The event contract"), and any agent's event with {@code metadata.event_type} (or
 * {@code content.event_type}, the data then being {@code content.data} when present, else the content without that
 * field). From the first such event on, the run is native: the generic mapping below is off for it, and its
 * {@code agent.final_answer {text, success, tool_name, synthesized, tool_result}} gives the final result.
 *
 * <p><b>Other agents</b> ({@code demo}, {@code pipeline}, remote agents) map onto the closest types:
 * <pre>
 * plan.start                 planning_query        {query}
 * plan.completed             plan_complete         {strategy: single | sequential, reasoning}
 * solver.start               executing             {tool_name: task_id, task}
 * solver.completed           execution_complete    {tool_name: task_id, result}
 * agent.tool_call            executing             {tool_name: tool, arguments}
 * agent.tool_result          execution_complete    {tool_name, result} | execution_failed {tool_name, error}
 * solver.cancelled           execution_skipped     {reason}
 * aggregate.start            synthesizing_response {}
 * agent.final_answer         complete              {response}
 * agent.error, error.timeout error                 {error}       (the real system's agent_event 'error'; native runs too)
 * agent.thinking, agent.partial_answer, aggregate.completed, agent.user_confirm, error.retry_attempt,
 * plan.cancelled, pipeline.completed: no agent_event
 * </pre>
 */
final class AgentEvents {
    static final int MAX_RESULT = 200;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The toolsmith agent's events: {@code toolsmith.<event_type>} with the document's data as content. */
    static final String NATIVE_PREFIX = "toolsmith.";

    private boolean nativeTypes;
    private Boolean answeredSuccess;   // agent.final_answer's success, when it says
    private String response;           // the final answer text (agent.final_answer / complete.response)
    private String toolName;           // the last tool used
    private String toolResult = "";    // the last tool's (or task's) result
    private boolean synthesized;
    private String error;              // the last error message

    /** The {@code agent_event} payload for {@code event}, or null when it shows none. */
    ObjectNode map(JsonNode event) {
        String name = event.path("event").asText("");
        JsonNode content = event.path("content");
        JsonNode meta = event.path("metadata");
        String type = name.startsWith(NATIVE_PREFIX) && name.length() > NATIVE_PREFIX.length()
                ? name.substring(NATIVE_PREFIX.length()) : textOrNull(meta.path("event_type"));
        if (type == null) type = textOrNull(content.path("event_type"));
        if (type != null) {
            nativeTypes = true;
            JsonNode data = content.has("event_type") && content.path("data").isObject() ? content.path("data") : content;
            ObjectNode d = data.isObject() ? ((ObjectNode) data).deepCopy() : NODES.objectNode();
            d.remove("event_type");
            noteNative(type, d, meta);
            return agentEvent(type, d);
        }
        if (name.equals(RunEvent.FINAL_ANSWER)) finalAnswer(content);
        if (name.equals(RunEvent.AGENT_ERROR) || name.equals(RunEvent.TIMEOUT)) {
            error = content.path("message").asText("The agent failed.");
            return agentEvent("error", NODES.objectNode().put("error", error)); // the real system's agent_event 'error'
        }
        if (nativeTypes) return null;
        return switch (name) {
            case RunEvent.PLAN_START -> agentEvent("planning_query", NODES.objectNode().put("query", content.path("query").asText("")));
            case RunEvent.PLAN_COMPLETED -> planComplete(content.path("tasks"));
            case "solver.start" -> {
                ObjectNode d = NODES.objectNode().put("tool_name", content.path("task_id").asText(""));
                yield agentEvent("executing", d.put("task", content.path("description").asText("")));
            }
            case "solver.completed" -> {
                toolName = content.path("task_id").asText("");
                toolResult = text(content.path("result"));
                yield agentEvent("execution_complete", NODES.objectNode().put("tool_name", toolName)
                        .put("result", clip(toolResult)));
            }
            case RunEvent.TOOL_CALL -> {
                ObjectNode d = NODES.objectNode().put("tool_name", content.path("tool").asText(""));
                if (content.has("arguments")) d.set("arguments", content.get("arguments"));
                yield agentEvent("executing", d);
            }
            case RunEvent.TOOL_RESULT -> {
                String tool = content.path("tool").asText("");
                String result = text(content.path("result"));
                if (content.path("is_error").asBoolean(false)) {
                    yield agentEvent("execution_failed", NODES.objectNode().put("tool_name", tool).put("error", clip(result)));
                }
                toolName = tool;
                toolResult = result;
                yield agentEvent("execution_complete", NODES.objectNode().put("tool_name", tool).put("result", clip(result)));
            }
            case "solver.cancelled" -> agentEvent("execution_skipped", NODES.objectNode()
                    .put("reason", "the run was cancelled during task " + content.path("task_id").asText("")));
            case "aggregate.start" -> agentEvent("synthesizing_response", NODES.objectNode());
            case RunEvent.FINAL_ANSWER -> agentEvent("complete", NODES.objectNode().put("response", response));
            default -> null;
        };
    }

    /** {@code agent.final_answer {text, success?, tool_name?, synthesized?, tool_result?}}. */
    private void finalAnswer(JsonNode content) {
        response = content.path("text").asText("");
        if (content.path("success").isBoolean()) answeredSuccess = content.get("success").asBoolean();
        if (content.has("tool_name")) toolName = content.get("tool_name").isNull() ? null : text(content.get("tool_name"));
        if (content.path("synthesized").isBoolean()) synthesized = content.get("synthesized").asBoolean();
        if (content.hasNonNull("tool_result")) toolResult = text(content.get("tool_result"));
    }

    /** False when the agent's final answer says it did not succeed (the run itself completed). */
    boolean answeredSuccess() {
        return answeredSuccess == null || answeredSuccess;
    }

    /** What a native run's events tell the final {@code query_complete}. */
    private void noteNative(String type, ObjectNode data, JsonNode meta) {
        switch (type) {
            case "complete" -> { if (data.hasNonNull("response")) response = text(data.get("response")); }
            case "synthesis_successful" -> { synthesized = true; toolName = data.path("tool_name").asText(toolName); }
            case "executing", "tool_found", "using_composite_tool" ->
                    toolName = data.path("tool_name").asText(toolName);
            case "execution_complete" -> toolResult = text(data.path("result"));
            case "execution_failed", "synthesis_failed", "error" -> error = text(data.has("error") ? data.get("error")
                    : data.path("message"));
            default -> { }
        }
        // an agent may state the final metadata outright (metadata.tool_name / synthesized / tool_result)
        if (meta.hasNonNull("tool_name")) toolName = meta.get("tool_name").asText();
        if (meta.has("synthesized")) synthesized = meta.get("synthesized").asBoolean();
        if (meta.hasNonNull("tool_result")) toolResult = text(meta.get("tool_result"));
    }

    boolean nativeRun() {
        return nativeTypes;
    }

    /** The final answer: the agent's, else the last result. */
    String response() {
        return response != null ? response : toolResult;
    }

    String error() {
        return error;
    }

    /** {@code query_complete.metadata}: {tool_name (null when none), synthesized, tool_result}. */
    ObjectNode metadata() {
        ObjectNode m = NODES.objectNode();
        if (toolName == null || toolName.isEmpty()) m.putNull("tool_name"); else m.put("tool_name", toolName);
        return m.put("synthesized", synthesized).put("tool_result", toolResult);
    }

    private static ObjectNode planComplete(JsonNode tasks) {
        int n = tasks.size();
        StringBuilder reasoning = new StringBuilder("Planned ").append(n).append(n == 1 ? " task" : " tasks");
        Iterator<JsonNode> it = tasks.elements();
        String sep = ": ";
        while (it.hasNext()) {
            reasoning.append(sep).append(it.next().path("description").asText(""));
            sep = "; ";
        }
        return agentEvent("plan_complete", NODES.objectNode().put("strategy", n > 1 ? "sequential" : "single")
                .put("reasoning", clip(reasoning.toString())));
    }

    static ObjectNode agentEvent(String type, ObjectNode data) {
        ObjectNode e = NODES.objectNode().put("event_type", type);
        e.set("data", data);
        return e;
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
    }

    /** A result as text: strings as they are, other JSON as JSON. */
    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return "";
        return n.isTextual() ? n.textValue() : n.toString();
    }

    static String clip(String s) {
        return s.length() <= MAX_RESULT ? s : s.substring(0, MAX_RESULT) + "...";
    }

}
