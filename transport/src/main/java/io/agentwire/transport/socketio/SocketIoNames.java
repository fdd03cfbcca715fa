package io.agentwire.transport.socketio;

import java.util.Set;

/** Names with a meaning of their own in Socket.IO. */
final class SocketIoNames {
    /** Events an application may not emit (they are the socket's own, as in socket.io's server). */
    static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    /** Disconnections after which a socket's state is kept for recovery (as socket.io's server). */
    static final Set<String> RECOVERABLE = Set.of("transport error", "transport close", "forced close",
            "ping timeout", "server shutting down", "forced server close");

    private SocketIoNames() { }
}
