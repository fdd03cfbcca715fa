package io.agentwire.transport.socketio;

import io.agentwire.transport.engineio.EngineIoConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one Socket.IO server. Immutable and validated.
 *
 * @param name names this server's core streams ({@code sio:<name>:<namespace>}): servers sharing a Node (or, in
 *     cluster mode, a broker) and a name share their broadcasts; give each server of a process its own name
 * @param engineIo the Engine.IO settings (path, heartbeat, payload limit, transports, CORS)
 * @param connectTimeout how long a connection may stay without joining a namespace before it is closed (its
 *     Engine.IO session is pending until then: {@link EngineIoConfig#maxPendingSessions()})
 * @param recovery connection state recovery; {@link SocketIoRecovery#DISABLED} to turn it off
 * @param adminUi the Socket.IO Admin UI namespace ({@link AdminUi}); {@link AdminUiSettings#DISABLED} by default
 */
public record SocketIoConfig(String name, EngineIoConfig engineIo, Duration connectTimeout, SocketIoRecovery recovery,
                             AdminUiSettings adminUi) {
    /**
     * socket.io's defaults (path {@code /socket.io/}, recovery on for 2 minutes) except the time to connect: 10 s, not
     * 45 s, since a connection that has joined no namespace is unauthenticated (issue 17, docs/limits.md).
     */
    public static final SocketIoConfig DEFAULTS = new SocketIoConfig("default", EngineIoConfig.DEFAULTS,
            Duration.ofSeconds(10), SocketIoRecovery.DEFAULTS);

    public SocketIoConfig {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.indexOf(':') >= 0) throw new IllegalArgumentException("invalid server name " + name);
        Objects.requireNonNull(engineIo, "engineIo");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connectTimeout must be positive");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(adminUi, "adminUi");
    }

    /** Settings without the Admin UI. */
    public SocketIoConfig(String name, EngineIoConfig engineIo, Duration connectTimeout, SocketIoRecovery recovery) {
        this(name, engineIo, connectTimeout, recovery, AdminUiSettings.DISABLED);
    }

    public SocketIoConfig withName(String n) {
        return new SocketIoConfig(n, engineIo, connectTimeout, recovery, adminUi);
    }

    public SocketIoConfig withEngineIo(EngineIoConfig e) {
        return new SocketIoConfig(name, e, connectTimeout, recovery, adminUi);
    }

    public SocketIoConfig withConnectTimeout(Duration d) {
        return new SocketIoConfig(name, engineIo, d, recovery, adminUi);
    }

    public SocketIoConfig withRecovery(SocketIoRecovery r) {
        return new SocketIoConfig(name, engineIo, connectTimeout, r, adminUi);
    }

    public SocketIoConfig withAdminUi(AdminUiSettings a) {
        return new SocketIoConfig(name, engineIo, connectTimeout, recovery, a);
    }
}
