package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.ErrorCode;
import java.util.Set;

/**
 * Client messages (spec 002's "Client to Server Messages"): pure validation of one text frame. Never throws.
 * Unknown fields are ignored.
 */
final class Inbound {
    static final String GET_SESSION_LOGS = "get_session_logs";
    static final String GET_SESSION_STATE = "get_session_state";
    static final String START_LOG_STREAMING = "start_log_streaming";
    static final String STOP_LOG_STREAMING = "stop_log_streaming";
    static final String PONG = "pong";
    static final String PING = "ping";
    private static final Set<String> NEED_SESSION = Set.of(GET_SESSION_LOGS, GET_SESSION_STATE, START_LOG_STREAMING);
    private static final Set<String> KNOWN = Set.of(GET_SESSION_LOGS, GET_SESSION_STATE, START_LOG_STREAMING,
            STOP_LOG_STREAMING, PONG, PING);

    private Inbound() { }

    sealed interface Decoded permits Request, Invalid { }

    /** A valid message; {@code sessionId} is set for the three that name a session. */
    record Request(String type, String sessionId) implements Decoded { }

    /** A message refused with {@code code}; {@code type} is the message's type if it had a readable one. */
    record Invalid(ErrorCode code, String field, String message, String type) implements Decoded { }

    static Decoded decode(String text) {
        return decode(text, Vocabulary.SPEC_002);
    }

    /**
     * As {@link #decode(String)}; in the AgentCraft vocabulary {@code start_log_streaming} may omit its
     * {@code session_id} (AgentCraft's server defaults it), which then labels the acknowledgement as null.
     */
    static Decoded decode(String text, Vocabulary vocabulary) {
        JsonNode root;
        try {
            root = TrackingJson.read(text);
        } catch (JsonProcessingException e) {
            return new Invalid(ErrorCode.INVALID_JSON, null, "the message is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (RuntimeException e) {
            return new Invalid(ErrorCode.INVALID_JSON, null, "the message is not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            return new Invalid(ErrorCode.INVALID_MESSAGE, null, "the message must be a JSON object with a 'type'", null);
        }
        JsonNode type = root.get("type");
        if (type == null || type.isNull()) {
            return new Invalid(ErrorCode.MISSING_FIELD, "type", "the field 'type' is required", null);
        }
        if (!type.isTextual()) return new Invalid(ErrorCode.INVALID_FIELD, "type", "'type' must be a string", null);
        String t = type.textValue();
        if (!KNOWN.contains(t)) {
            return new Invalid(ErrorCode.UNKNOWN_EVENT, "type", "unknown message type '" + abbreviate(t)
                    + "'; accepted: get_session_state, get_session_logs, start_log_streaming, stop_log_streaming, pong", t);
        }
        if (!NEED_SESSION.contains(t)) return new Request(t, null);
        JsonNode sid = root.get("session_id");
        if ((sid == null || sid.isNull()) && vocabulary == Vocabulary.AGENTCRAFT && t.equals(START_LOG_STREAMING)) {
            return new Request(t, null);
        }
        if (sid == null || sid.isNull()) {
            return new Invalid(ErrorCode.MISSING_FIELD, "session_id", t + " needs the field 'session_id'", t);
        }
        if (!sid.isTextual() || sid.textValue().isBlank() || sid.textValue().length() > Fields.MAX_ID) {
            return new Invalid(ErrorCode.INVALID_FIELD, "session_id",
                    "'session_id' must be a non-blank string of at most " + Fields.MAX_ID + " characters", t);
        }
        return new Request(t, sid.textValue());
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 63) + "…";
    }
}
