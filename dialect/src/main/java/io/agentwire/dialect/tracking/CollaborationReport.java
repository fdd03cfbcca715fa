package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.InvalidFieldException;

/**
 * Two agents working together, as a backend reports it; every dashboard receives it as an
 * {@code agent_collaboration} message. With a {@code sessionId} it is also a log line of that session (created if
 * unknown). Validated on construction ({@link InvalidFieldException} names the field).
 *
 * @param primaryAgent the agent handing over or asking, 1..200 characters
 * @param secondaryAgent the agent taking over or helping, 1..200 characters
 * @param collaborationType e.g. {@code handoff}, {@code consultation}; 1..200 characters
 * @param reason why, at most 10 000 characters (null: empty)
 * @param sessionId the tracked session, or null
 * @param metadata any object (null: empty), kept with the session's log line
 */
public record CollaborationReport(String primaryAgent, String secondaryAgent, String collaborationType, String reason,
                                  String sessionId, ObjectNode metadata) {

    public CollaborationReport {
        primaryAgent = Fields.id(primaryAgent, "primary_agent");
        secondaryAgent = Fields.id(secondaryAgent, "secondary_agent");
        collaborationType = Fields.id(collaborationType, "collaboration_type");
        reason = Fields.text(reason, "reason");
        sessionId = Fields.optionalId(sessionId, "session_id");
        metadata = Fields.copy(metadata);
    }

    /** Reads {@code {"primary_agent", "secondary_agent", "collaboration_type", "reason"?, "session_id"?, "metadata"?}}. */
    public static CollaborationReport fromJson(JsonNode body) {
        ObjectNode o = Fields.object(body);
        return new CollaborationReport(Fields.string(o, "primary_agent", "primary_agent"),
                Fields.string(o, "secondary_agent", "secondary_agent"),
                Fields.string(o, "collaboration_type", "collaboration_type"),
                Fields.optionalString(o, "reason", "reason"), Fields.optionalString(o, "session_id", "session_id"),
                Fields.optionalObject(o, "metadata", "metadata"));
    }

    /** The report as {@link #fromJson} reads it (the tracking journal keeps it so). */
    public ObjectNode toJson() {
        ObjectNode o = TrackingJson.NODES.objectNode().put("primary_agent", primaryAgent)
                .put("secondary_agent", secondaryAgent).put("collaboration_type", collaborationType).put("reason", reason);
        if (sessionId != null) o.put("session_id", sessionId);
        o.set("metadata", metadata.deepCopy());
        return o;
    }
}
