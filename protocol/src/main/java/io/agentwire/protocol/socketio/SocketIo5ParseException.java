package io.agentwire.protocol.socketio;

/**
 * The one error {@link SocketIo5Codec} and {@link SocketIo5Decoder} report for input that is not Socket.IO v5: an
 * unknown packet type, a bad attachment count or ack id, invalid JSON, a payload of the wrong shape for its type
 * (an EVENT that is not an array starting with a name), an attachment nobody asked for. The reference server
 * closes the whole connection on it, and so does AgentWire.
 */
public final class SocketIo5ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public SocketIo5ParseException(String message) {
        super(message);
    }
}
