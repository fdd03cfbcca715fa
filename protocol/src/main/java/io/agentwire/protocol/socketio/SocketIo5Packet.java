package io.agentwire.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One Socket.IO v5 packet. Binary data sits in {@code data} as Jackson {@code BinaryNode}s wherever the
 * application put it (nested in arrays and objects); the codec turns it into placeholders and attachments on the
 * wire and back.
 *
 * @param type the packet type; an EVENT or ACK whose data holds binary goes on the wire as BINARY_EVENT or
 *     BINARY_ACK, and decoded binary packets come back as EVENT or ACK
 * @param namespace the namespace, {@code "/"} for the main one
 * @param ackId the acknowledgement id, or {@link #NO_ACK}
 * @param data the JSON payload (an array for events and acks, an object for CONNECT and CONNECT_ERROR), or null
 */
public record SocketIo5Packet(Type type, String namespace, long ackId, JsonNode data) {
    public static final long NO_ACK = -1;

    /** Packet types and their wire digit. */
    public enum Type {
        CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

        /** The digit that starts the packet on the wire. */
        public char code() {
            return (char) ('0' + ordinal());
        }

        /** By wire digit; {@code values()} would copy its array on every packet. */
        private static final Type[] BY_DIGIT = values();

        static Type of(char c) {
            return c >= '0' && c <= '6' ? BY_DIGIT[c - '0'] : null;
        }
    }

    public SocketIo5Packet {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        if (!namespace.startsWith("/")) throw new IllegalArgumentException("namespace must start with '/': " + namespace);
        if (namespace.indexOf(',') >= 0) throw new IllegalArgumentException("namespace must not contain ',': " + namespace);
        if (ackId < NO_ACK) throw new IllegalArgumentException("ack id must be >= 0, was " + ackId);
    }

    public static SocketIo5Packet of(Type type, String namespace, JsonNode data) {
        return new SocketIo5Packet(type, namespace, NO_ACK, data);
    }

    public boolean hasAck() {
        return ackId != NO_ACK;
    }

    /** The event name of an EVENT (the first element of its array), or null. */
    public String eventName() {
        return data != null && data.isArray() && data.size() > 0 && data.get(0).isTextual() ? data.get(0).textValue() : null;
    }
}
