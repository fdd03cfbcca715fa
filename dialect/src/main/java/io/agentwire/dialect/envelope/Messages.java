package io.agentwire.dialect.envelope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.protocol.envelope.EnvelopeCodec;

/**
 * The per-connection envelopes the server sends (system.* and the error.* answers to one client message):
 * they carry no {@code seq}. Every error has {@code metadata.code} and a human {@code content.message}.
 */
final class Messages {
    static final String PROTOCOL_VERSION = "1";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Messages() { }

    static ObjectNode connected(String connectionId, EnvelopeConfig config) {
        ObjectNode m = JSON.objectNode()
                .put("connection_id", connectionId)
                .put("protocol_version", PROTOCOL_VERSION)
                .put("heartbeat_interval_ms", config.heartbeatInterval().toMillis())
                .put("heartbeat_timeout_ms", config.heartbeatTimeout().toMillis())
                .put("max_payload_bytes", config.maxPayloadBytes());
        return EnvelopeCodec.envelope("system.connected", null, null, JSON.objectNode(), m);
    }

    static ObjectNode heartbeat() {
        return EnvelopeCodec.envelope("system.heartbeat", null, null, JSON.objectNode(),
                JSON.objectNode().put("ts", System.currentTimeMillis()));
    }

    static ObjectNode notice(String sessionId, String code, String message, ObjectNode metadata) {
        ObjectNode content = JSON.objectNode().put("code", code).put("message", message);
        return EnvelopeCodec.envelope("system.notice", sessionId, null, content, metadata == null ? JSON.objectNode() : metadata);
    }

    static ObjectNode validation(String sessionId, String stepId, ErrorCode code, String field, String detail) {
        ObjectNode m = JSON.objectNode().put("code", code.name());
        if (field != null) m.put("field", field);
        m.put("detail", detail == null ? code.defaultMessage() : detail);
        return error("error.validation", sessionId, stepId, detail == null ? code.defaultMessage() : detail, m);
    }

    static ObjectNode rateLimited(long retryAfterMs, long dropped) {
        ObjectNode m = JSON.objectNode().put("code", ErrorCode.RATE_LIMITED.name())
                .put("retry_after_ms", retryAfterMs).put("dropped", dropped);
        return error("error.rate_limited", null, null,
                "too many messages: " + dropped + " dropped; retry after " + retryAfterMs + " ms", m);
    }

    static ObjectNode recoveryFailed(String sessionId, ErrorCode code) {
        ObjectNode m = JSON.objectNode().put("code", code.name());
        return error("error.recovery_failed", sessionId, null, code.defaultMessage() + "; create a new session", m);
    }

    static ObjectNode connectionLost(String sessionId, String lostConnectionId) {
        ObjectNode m = JSON.objectNode().put("code", ErrorCode.CONNECTION_LOST.name()).put("connection_id", lostConnectionId);
        return error("error.connection_lost", sessionId, null, "another connection of this session dropped", m);
    }

    /** {@code system.error}: a request the core could not serve. */
    static ObjectNode failed(String sessionId, String what, ErrorCode code) {
        return EnvelopeCodec.envelope("system.error", sessionId, null,
                JSON.objectNode().put("message", "could not " + what + ": " + code.defaultMessage()),
                JSON.objectNode().put("code", code.name()));
    }

    static ObjectNode stateExported(String sessionId, ObjectNode state) {
        return EnvelopeCodec.envelope("agent.state_exported", sessionId, null, JSON.objectNode().set("state", state),
                JSON.objectNode().put("last_seq", state.path("last_seq").asLong()));
    }

    private static ObjectNode error(String event, String sessionId, String stepId, String message, ObjectNode metadata) {
        return EnvelopeCodec.envelope(event, sessionId, stepId, JSON.objectNode().put("message", message), metadata);
    }
}
