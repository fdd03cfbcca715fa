package io.agentwire.dialect.rooms;

import io.agentwire.transport.socketio.SocketIoConfig;
import java.util.Objects;

/**
 * Settings of the {@code rooms} dialect. Immutable and validated.
 *
 * @param namespace the Socket.IO namespace of spec 004 ({@code /ws})
 * @param projectsClaim the JWT claim that lists the projects a user may follow (an array of project ids, or one id)
 * @param socketIo the Socket.IO server (path, heartbeat, 1 MB payload limit, CORS, connection state recovery);
 *     recovered sockets always pass the middleware again, so their token is checked on every connection
 */
public record RoomsConfig(String namespace, String projectsClaim, SocketIoConfig socketIo) {
    /** Spec 004's: namespace {@code /ws}, claim {@code projects}, socket.io's defaults (1 MB payloads, recovery 2 min). */
    public static final RoomsConfig DEFAULT = new RoomsConfig("/ws", "projects", SocketIoConfig.DEFAULTS.withName("rooms"));

    public RoomsConfig {
        Objects.requireNonNull(namespace, "namespace");
        if (!namespace.startsWith("/") || namespace.indexOf(',') >= 0 || namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must start with '/' and hold no ',', was " + namespace);
        }
        Objects.requireNonNull(projectsClaim, "projectsClaim");
        if (projectsClaim.isBlank()) throw new IllegalArgumentException("projects claim must not be blank");
        Objects.requireNonNull(socketIo, "socketIo");
    }

    public RoomsConfig withSocketIo(SocketIoConfig s) {
        return new RoomsConfig(namespace, projectsClaim, s);
    }
}
