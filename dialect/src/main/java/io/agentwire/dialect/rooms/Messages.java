package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The payloads spec 004 documents for the connection events and the acknowledgements of client commands. */
final class Messages {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** {@code data.protocol_version} of {@code connection_established} ("API Versioning: Current Version 1.0"). */
    static final String PROTOCOL_VERSION = "1.0";

    private Messages() { }

    /** {@code connection_established}: {@code {type: "connection.established", timestamp, data}}. */
    static ObjectNode established(String connectionId, String userId, Clock clock) {
        ObjectNode o = NODES.objectNode().put("type", "connection.established").put("timestamp", timestamp(clock));
        o.putObject("data").put("connection_id", connectionId).put("user_id", userId)
                .put("protocol_version", PROTOCOL_VERSION);
        return o;
    }

    /** {@code connection_error}: {@code {type: "connection.error", timestamp, data}}; no connection id (refused). */
    static ObjectNode connectionError(ErrorCode code, Clock clock) {
        ObjectNode o = NODES.objectNode().put("type", "connection.error").put("timestamp", timestamp(clock));
        o.putObject("data").put("error_code", code.name()).put("error_message", message(code))
                .putNull("connection_id");
        return o;
    }

    /** {@code {status: "success", room}}. */
    static ObjectNode success(String room) {
        return NODES.objectNode().put("status", "success").put("room", room);
    }

    /** {@code {status: "error", error_code, error_message}}. */
    static ObjectNode failure(ErrorCode code) {
        return NODES.objectNode().put("status", "error").put("error_code", code.name()).put("error_message", message(code));
    }

    /** {@code {status: "pong"}}. */
    static ObjectNode pong() {
        return NODES.objectNode().put("status", "pong");
    }

    /** The messages of the document's "Connection Errors" table. */
    static String message(ErrorCode code) {
        return switch (code) {
            case AUTH_FAILED -> "Invalid or expired token";
            case AUTH_MISSING -> "No authentication provided";
            case ROOM_ACCESS_DENIED -> "Access denied to room";
            case INVALID_ROOM -> "Invalid room format";
            default -> code.defaultMessage();
        };
    }

    /** Now, ISO 8601 in UTC to the millisecond ({@code 2024-11-08T10:30:00.123Z}). */
    static String timestamp(Clock clock) {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
