package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A {@link Middleware}'s decision. {@link #accept(ObjectNode)} may add fields to the socket's {@code data};
 * {@link #reject} sends CONNECT_ERROR {@code {"message":…,"data":…}}, which reaches the client's
 * {@code connect_error} listener as an Error with that message and data.
 */
public sealed interface ConnectReply {

    record Accept(ObjectNode data) implements ConnectReply { }

    record Reject(String message, JsonNode data) implements ConnectReply {
        public Reject {
            Objects.requireNonNull(message, "message");
        }
    }

    static ConnectReply accept() {
        return new Accept(null);
    }

    /** Accepts and merges {@code data} into the socket's data. */
    static ConnectReply accept(ObjectNode data) {
        return new Accept(data);
    }

    static ConnectReply reject(String message) {
        return new Reject(message, null);
    }

    static ConnectReply reject(String message, JsonNode data) {
        return new Reject(message, data);
    }
}
