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
 * {@code *} for any, empty for none), {@code recovery.enabled} / {@code recovery.max-disconnection}, and the limits
 * of unauthenticated sessions {@code connect-timeout}, {@code max-pending-sessions},
 * {@code max-pending-sessions-per-address} (docs/limits.md). Keys a
 * section does not have keep {@code defaults}; a refused value is reported under its own key.
 */
public final class SocketIoSettings {
    private SocketIoSettings() { }

    public static SocketIoConfig read(Settings s, SocketIoConfig defaults) {
        RecordBinder<EngineIoConfig> engineIo = RecordBinder.from(defaults.engineIo());
        if (s.has("path")) engineIo.bind("path", s.stringSetting("path"));
        if (s.has("ping-interval")) engineIo.bind("pingInterval", s.durationSetting("ping-interval"));
        if (s.has("ping-timeout")) engineIo.bind("pingTimeout", s.durationSetting("ping-timeout"));
        if (s.has("max-payload")) engineIo.bind("maxPayload", s.bytesSetting("max-payload"));
        if (s.has("cors-origins")) engineIo.bind("cors", s.setting("cors-origins", cors(s.list("cors-origins"))));
        if (s.has("max-pending-sessions")) engineIo.bind("maxPendingSessions", s.intSetting("max-pending-sessions"));
        if (s.has("max-pending-sessions-per-address")) {
            engineIo.bind("maxPendingSessionsPerAddress", s.intSetting("max-pending-sessions-per-address"));
        }
        RecordBinder<SocketIoRecovery> recovery = RecordBinder.from(defaults.recovery());
        if (s.has("recovery.enabled")) recovery.bind("enabled", s.setting("recovery.enabled", s.bool("recovery.enabled")));
        if (s.has("recovery.max-disconnection")) {
            recovery.bind("maxDisconnectionDuration", s.durationSetting("recovery.max-disconnection"));
        }
        SocketIoConfig out = defaults.withEngineIo(engineIo.build()).withRecovery(recovery.build());
        if (!s.has("connect-timeout")) return out;
        return RecordBinder.from(out).bind("connectTimeout", s.durationSetting("connect-timeout")).build();
    }

    /** Origins allowed to long-poll from another origin ({@code *}: any); empty: no CORS headers. */
    public static EngineIoCors cors(List<String> origins) {
        return origins.isEmpty() ? EngineIoCors.NONE : new EngineIoCors(origins, false, Duration.ofHours(1));
    }
}
