package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A {@link Middleware}'s decision. {@link #accept(ObjectNode)} may add fields to the socket's {@code data};
 * {@link #acceptAs} also names the principal the socket belongs to when the middleware, not the Engine.IO handshake,
 * authenticates (a recovery record is bound to it: another principal presenting its {@code pid} gets a fresh socket);
 * {@link #reject} sends CONNECT_ERROR {@code {"message":…,"data":…}}, which reaches the client's
 * {@code connect_error} listener as an Error with that message and data.
 */
public sealed interface ConnectReply {

    /** @param owner the principal id the socket belongs to, or null for the Engine.IO handshake's principal */
    record Accept(ObjectNode data, String owner) implements ConnectReply {
        public Accept(ObjectNode data) {
            this(data, null);
        }
    }

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

    /** Accepts the socket as {@code owner}'s and merges {@code data} into its data. */
    static ConnectReply acceptAs(String owner, ObjectNode data) {
        return new Accept(data, Objects.requireNonNull(owner, "owner"));
    }

    static ConnectReply reject(String message) {
        return new Reject(message, null);
    }

    static ConnectReply reject(String message, JsonNode data) {
        return new Reject(message, data);
    }
}
