package io.agentwire.transport;

import io.agentwire.core.DisconnectReason;

/**
 * What a WebSocket endpoint does with its connections (the dialect's side). Every callback runs on the
 * connection's event loop, one at a time per connection, so it must not block (see
 * {@link io.agentwire.core.Blocking}). An exception thrown by a callback closes the connection with
 * {@link DisconnectReason#INTERNAL_ERROR}.
 */
public interface WsHandler {

    /** The handshake is done; the connection can send. Always called before any other callback. */
    void onOpen(WsConnection connection);

    /** One complete (aggregated) text message. */
    void onText(WsConnection connection, String text);

    /**
     * One complete binary message of {@code bytes} bytes. The default closes the connection with
     * {@link DisconnectReason#UNSUPPORTED_DATA} (1003).
     */
    default void onBinary(WsConnection connection, int bytes) {
        connection.close(DisconnectReason.UNSUPPORTED_DATA);
    }

    /**
     * One complete binary message with its bytes (the array is the handler's to keep). The default hands the size to
     * {@link #onBinary(WsConnection, int)}, so handlers that refuse binary messages need not override this one.
     */
    default void onBinary(WsConnection connection, byte[] data) {
        onBinary(connection, data.length);
    }

    /**
     * The connection is gone; called exactly once per opened connection, however it ended. {@code code} is the
     * close code the server sent, or the one the client sent if it closed first (1005 if its close frame had none),
     * or 1006 if the socket dropped without a closing handshake.
     */
    void onClose(WsConnection connection, int code, String reason);
}
