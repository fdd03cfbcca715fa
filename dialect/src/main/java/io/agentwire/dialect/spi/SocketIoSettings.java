package io.agentwire.dialect.spi;

import io.agentwire.transport.engineio.EngineIoConfig;
import io.agentwire.transport.engineio.EngineIoCors;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoRecovery;
import java.time.Duration;
import java.util.List;

/**
 * The settings every Socket.IO dialect has, read the same way from its section: {@code path} (the Engine.IO request
 * path), {@code max-payload}, {@code ping-interval}, {@code ping-timeout}, {@code cors-origins} (comma-separated,
 * {@code *} for any, empty for none) and {@code recovery.enabled} / {@code recovery.max-disconnection}. Keys a
 * section does not have keep {@code defaults}.
 */
public final class SocketIoSettings {
    private SocketIoSettings() { }

    public static SocketIoConfig read(Settings s, SocketIoConfig defaults) {
        EngineIoConfig e = defaults.engineIo();
        String path = s.has("path") ? s.string("path") : e.path();
        Duration pingInterval = s.has("ping-interval") ? s.duration("ping-interval") : e.pingInterval();
        Duration pingTimeout = s.has("ping-timeout") ? s.duration("ping-timeout") : e.pingTimeout();
        int maxPayload = s.has("max-payload") ? s.intBytes("max-payload") : e.maxPayload();
        EngineIoCors cors = s.has("cors-origins") ? cors(s.list("cors-origins")) : e.cors();
        EngineIoConfig engineIo = s.check("path", () -> e.withPath(path));
        engineIo = s.check("ping-interval", () -> new EngineIoConfig(path, pingInterval, pingTimeout, maxPayload,
                e.upgradeTimeout(), e.transports(), e.maxBufferedPackets(), cors));
        SocketIoRecovery r = defaults.recovery();
        boolean enabled = s.has("recovery.enabled") ? s.bool("recovery.enabled") : r.enabled();
        Duration max = s.has("recovery.max-disconnection") ? s.duration("recovery.max-disconnection")
                : r.maxDisconnectionDuration();
        SocketIoRecovery recovery = s.check("recovery.max-disconnection",
                () -> new SocketIoRecovery(enabled, max, r.skipMiddlewares()));
        return defaults.withEngineIo(engineIo).withRecovery(recovery);
    }

    /** Origins allowed to long-poll from another origin; empty: no CORS headers. */
    public static EngineIoCors cors(List<String> origins) {
        return origins.isEmpty() ? EngineIoCors.NONE : new EngineIoCors(origins, false, Duration.ofHours(1));
    }
}
