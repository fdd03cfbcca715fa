package io.agentwire.transport.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery (socket.io-client 4.6 and later): after a temporary disconnection the client comes
 * back with the same socket id, rooms and data, and receives the events it missed — broadcasts and, as in socket.io,
 * the socket's own {@code emit}s — exactly once and in the order they were sent. They come from the namespace's core
 * stream, so they are also bounded by the Node's history window ({@code NodeConfig.history()}: count and age, shared
 * by every stored event of the namespace); beyond either bound the client gets {@code recovered == false}.
 *
 * @param enabled whether sockets get a private session id ({@code pid}), stored events an offset, and
 *     {@code socket.emit} is stored
 * @param maxDisconnectionDuration how long a disconnected socket's state is kept
 * @param skipMiddlewares whether a recovered socket skips the namespace's middleware
 */
public record SocketIoRecovery(boolean enabled, Duration maxDisconnectionDuration, boolean skipMiddlewares) {
    public static final SocketIoRecovery DEFAULTS = new SocketIoRecovery(true, Duration.ofMinutes(2), true);
    public static final SocketIoRecovery DISABLED = new SocketIoRecovery(false, Duration.ofMinutes(2), true);

    public SocketIoRecovery {
        Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
        if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
            throw new IllegalArgumentException("maxDisconnectionDuration must be positive");
        }
    }

    public static SocketIoRecovery within(Duration maxDisconnectionDuration) {
        return new SocketIoRecovery(true, maxDisconnectionDuration, true);
    }
}
