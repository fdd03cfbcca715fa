package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.InvalidFieldException;
import java.util.Arrays;

/**
 * An agent's status as a backend reports it (spec 002's {@code broadcast_agent_status}); every dashboard receives
 * it as an {@code agent_status} message. With a {@code sessionId} the agent also becomes part of that tracked
 * session (created if unknown, described by {@code query}), so it counts in {@code active_sessions} and
 * {@code session_state}. Validated on construction ({@link InvalidFieldException} names the field);
 * {@code metadata} is copied and must not be modified afterwards.
 *
 * @param agentId 1..200 characters; the key dashboards group updates by
 * @param agentName 1..200 characters
 * @param progress 0..100
 * @param message at most 10 000 characters (null: empty)
 * @param sessionId the tracked session the agent works in, or null
 * @param query the session's query (used when it is created), or null
 * @param metadata any object (null: empty), sent as is
 */
public record AgentStatusReport(String agentId, String agentName, AgentStatus status, int progress, String message,
                                String sessionId, String query, ObjectNode metadata) {

    public AgentStatusReport {
        agentId = Fields.id(agentId, "agent_id");
        agentName = Fields.id(agentName, "agent_name");
        if (status == null) throw Fields.missing("status");
        if (progress < 0 || progress > 100) throw Fields.invalid("progress", "'progress' must be 0..100, was " + progress);
        message = Fields.text(message, "message");
        sessionId = Fields.optionalId(sessionId, "session_id");
        query = query == null ? null : Fields.text(query, "query");
        metadata = Fields.copy(metadata);
    }

    /**
     * Reads {@code {"agent_id", "agent_name", "status", "progress", "message"?, "session_id"?, "query"?,
     * "metadata"?}}; {@code status} is one of {@link AgentStatus} (any case).
     */
    public static AgentStatusReport fromJson(JsonNode body) {
        ObjectNode o = Fields.object(body);
        String agentId = Fields.string(o, "agent_id", "agent_id");
        String agentName = Fields.string(o, "agent_name", "agent_name");
        String statusText = Fields.string(o, "status", "status");
        AgentStatus status = AgentStatus.parse(statusText).orElseThrow(() -> Fields.invalid("status",
                "'status' must be one of " + Arrays.toString(AgentStatus.values()) + ", was '" + statusText + "'"));
        int progress = Fields.integer(o, "progress", "progress");
        return new AgentStatusReport(agentId, agentName, status, progress,
                Fields.optionalString(o, "message", "message"), Fields.optionalString(o, "session_id", "session_id"),
                Fields.optionalString(o, "query", "query"), Fields.optionalObject(o, "metadata", "metadata"));
    }

    /** The report as {@link #fromJson} reads it (the tracking journal keeps it so). */
    public ObjectNode toJson() {
        ObjectNode o = TrackingJson.NODES.objectNode().put("agent_id", agentId).put("agent_name", agentName)
                .put("status", status.name()).put("progress", progress).put("message", message);
        if (sessionId != null) o.put("session_id", sessionId);
        if (query != null) o.put("query", query);
        o.set("metadata", metadata.deepCopy());
        return o;
    }
}
