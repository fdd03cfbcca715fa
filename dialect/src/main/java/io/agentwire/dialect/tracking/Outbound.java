package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;

/**
 * The messages the server sends, in spec 002's shapes, encoded once into the bytes every recipient gets (rule 7).
 * {@code error} is AgentWire's (spec 002 defines no error message): {@code {"type":"error","code","message",
 * "timestamp", …}} with a stable {@link ErrorCode} name.
 */
final class Outbound {
    private Outbound() { }

    static byte[] activeSessions(ArrayNode summaries, long nowMillis) {
        ObjectNode m = message("active_sessions");
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        ObjectNode data = m.putObject("data");
        data.put("total_sessions", summaries.size());
        data.set("sessions", summaries);
        return TrackingJson.bytes(m);
    }

    static byte[] agentStatus(AgentEntry a) {
        ObjectNode m = message("agent_status")
                .put("agent_id", a.agentId())
                .put("agent_name", a.agentName())
                .put("status", a.status().name())
                .put("progress", a.progress())
                .put("message", a.message())
                .put("timestamp", TrackingJson.iso(a.timeMillis()));
        m.set("metadata", a.metadata());
        return TrackingJson.bytes(m);
    }

    static byte[] collaboration(CollaborationReport c, long nowMillis) {
        ObjectNode m = message("agent_collaboration")
                .put("primary_agent", c.primaryAgent())
                .put("secondary_agent", c.secondaryAgent())
                .put("collaboration_type", c.collaborationType())
                .put("reason", c.reason())
                .put("timestamp", TrackingJson.iso(nowMillis));
        if (c.sessionId() != null) m.put("session_id", c.sessionId());
        return TrackingJson.bytes(m);
    }

    static byte[] sessionState(String sessionId, ObjectNode state, long nowMillis) {
        ObjectNode m = message("session_state").put("session_id", sessionId);
        m.set("state", state);
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        return TrackingJson.bytes(m);
    }

    /** The logs of a session; {@code live} marks lines streamed as they happen (after start_log_streaming). */
    static byte[] sessionLogs(String sessionId, ArrayNode logs, boolean live, long nowMillis) {
        ObjectNode m = message("session_logs").put("session_id", sessionId);
        m.set("logs", logs);
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        if (live) m.put("live", true);
        return TrackingJson.bytes(m);
    }

    static byte[] ping(long nowMillis) {
        ObjectNode m = message("ping");
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        return TrackingJson.bytes(m);
    }

    /** The answer to a client's {@code ping} (not in spec 002, answered rather than refused). */
    static byte[] pong(long nowMillis) {
        ObjectNode m = message("pong");
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        return TrackingJson.bytes(m);
    }

    /**
     * @param field the offending field, or null
     * @param requestType the client message's {@code type} it answers, or null
     * @param sessionId the session it is about, or null
     */
    static ObjectNode error(ErrorCode code, String message, String field, String requestType, String sessionId,
                            long nowMillis) {
        ObjectNode m = message("error").put("code", code.name()).put("message", message);
        if (field != null) m.put("field", field);
        if (requestType != null) m.put("request_type", requestType);
        if (sessionId != null) m.put("session_id", sessionId);
        m.set("timestamp", TrackingJson.epochSeconds(nowMillis));
        return m;
    }

    static byte[] encode(ObjectNode message) {
        return TrackingJson.bytes(message);
    }

    private static ObjectNode message(String type) {
        return TrackingJson.NODES.objectNode().put("type", type);
    }
}
