package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One event of an agent run as it travels on a session's stream: built once where the run publishes it (the agent
 * runtime), read by every dialect that maps runs onto its wire (envelope, tracking, progress …) and by the cluster's
 * run leases — instead of each re-parsing the JSON by string keys. {@link #toJson()} is the stream's data (the
 * envelope dialect's event fields, docs/envelope.md); {@link #of(JsonNode)} reads it back.
 *
 * @param sessionId the session whose stream carries it
 * @param event the event's name, e.g. {@value #COMPLETED} (names below)
 * @param stepId the step it belongs to, or null
 * @param timestamp ISO-8601 UTC with milliseconds
 * @param content the event's content (an object, possibly empty)
 * @param metadata the event's metadata (an object; {@code run_id} always, {@code status} on {@value #COMPLETED})
 * @param showContent the text to show a person, or null
 */
public record RunEvent(String sessionId, String event, String stepId, String timestamp, ObjectNode content,
                       ObjectNode metadata, String showContent) {

    /** The last event of every run: {@code metadata.status} is completed, failed, cancelled, rejected or interrupted. */
    public static final String COMPLETED = "pipeline.completed";
    public static final String PLAN_START = "plan.start";
    public static final String PLAN_COMPLETED = "plan.completed";
    public static final String PLAN_CANCELLED = "plan.cancelled";
    public static final String THINKING = "agent.thinking";
    public static final String TOOL_CALL = "agent.tool_call";
    public static final String TOOL_RESULT = "agent.tool_result";
    public static final String PARTIAL_ANSWER = "agent.partial_answer";
    public static final String FINAL_ANSWER = "agent.final_answer";
    public static final String USER_CONFIRM = "agent.user_confirm";
    public static final String AGENT_ERROR = "agent.error";
    public static final String STATUS_CHANGED = "agent.status_changed";
    public static final String TIMEOUT = "error.timeout";
    public static final String RETRY_ATTEMPT = "error.retry_attempt";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public RunEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(timestamp, "timestamp");
        content = content == null ? JSON.objectNode() : content;
        metadata = metadata == null ? JSON.objectNode() : metadata;
    }

    /** The run it belongs to ({@code metadata.run_id}), or null. */
    public String runId() {
        JsonNode r = metadata.get("run_id");
        return r != null && r.isTextual() ? r.textValue() : null;
    }

    /** The agent named in the metadata ({@code metadata.agent}), or null. */
    public String agent() {
        JsonNode a = metadata.get("agent");
        return a != null && a.isTextual() && !a.textValue().isBlank() ? a.textValue() : null;
    }

    /** Whether this is the run's last event. */
    public boolean completed() {
        return COMPLETED.equals(event);
    }

    /** The status of a {@value #COMPLETED} ({@code completed} when it names none); null for other events. */
    public String status() {
        return completed() ? metadata.path("status").asText("completed") : null;
    }

    /** The stream's data: {@code {session_id, step_id?, event, timestamp, content, metadata, show_content?}}. */
    public ObjectNode toJson() {
        ObjectNode data = JSON.objectNode();
        data.put("session_id", sessionId);
        if (stepId != null) data.put("step_id", stepId);
        data.put("event", event);
        data.put("timestamp", timestamp);
        data.set("content", content);
        data.set("metadata", metadata);
        if (showContent != null) data.put("show_content", showContent);
        return data;
    }

    /**
     * Reads a session stream's data back; null when it is not a run event (no {@code event} name, or another kind
     * of publication).
     */
    public static RunEvent of(JsonNode data) {
        if (data == null || !data.isObject()) return null;
        JsonNode event = data.get("event");
        if (event == null || !event.isTextual()) return null;
        JsonNode content = data.get("content");
        JsonNode metadata = data.get("metadata");
        return new RunEvent(data.path("session_id").asText(""), event.textValue(), text(data, "step_id"),
                data.path("timestamp").asText(""), content instanceof ObjectNode c ? c : null,
                metadata instanceof ObjectNode m ? m : null, text(data, "show_content"));
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
