package io.agentwire.dialect.spi;

import io.agentwire.transport.engineio.EngineIoConfig;
import io.agentwire.transport.engineio.EngineIoCors;
import io.agentwire.core.Authenticator;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.socketio.AdminUi;
import io.agentwire.transport.socketio.AdminUiSettings;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoServer;
import io.agentwire.transport.socketio.SocketIoRecovery;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings every Socket.IO dialect has, read the same way from its section: {@code path} (the Engine.IO request
 * path), {@code max-payload}, {@code ping-interval}, {@code ping-timeout}, {@code cors-origins} (comma-separated,
 * {@code *} for any, empty for none), {@code recovery.enabled} / {@code recovery.max-disconnection}, and the limits
 * of unauthenticated sessions {@code connect-timeout}, {@code max-pending-sessions},
 * {@code max-pending-sessions-per-address} (docs/limits.md), and the Socket.IO Admin UI's {@code admin-ui.enabled},
 * {@code admin-ui.readonly}, {@code admin-ui.mode} (docs/admin-ui.md; {@link #adminUi}). Keys a
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
        RecordBinder<AdminUiSettings> admin = RecordBinder.from(defaults.adminUi());
        if (s.has("admin-ui.enabled")) admin.bind("enabled", s.setting("admin-ui.enabled", s.bool("admin-ui.enabled")));
        if (s.has("admin-ui.readonly")) admin.bind("readonly", s.setting("admin-ui.readonly", s.bool("admin-ui.readonly")));
        if (s.has("admin-ui.mode")) admin.bind("development", s.setting("admin-ui.mode", development(s, "admin-ui.mode")));
        SocketIoConfig out = defaults.withEngineIo(engineIo.build()).withRecovery(recovery.build()).withAdminUi(admin.build());
        if (!s.has("connect-timeout")) return out;
        return RecordBinder.from(out).bind("connectTimeout", s.durationSetting("connect-timeout")).build();
    }

    /**
     * Serves the Socket.IO Admin UI on {@code io} when its settings enable it ({@code admin-ui.enabled}); every
     * Socket.IO dialect calls this once, before serving. The login is the admin credential (docs/admin-ui.md):
     * username {@code admin} with the HTTP API key ({@code agentwire.auth.api-key}) as the password, or any username
     * with a JWT whose {@code roles} hold {@code admin} as the password.
     */
    public static AdminUi adminUi(SocketIoServer io, DialectContext context) {
        return AdminUi.instrument(io, io.config().adminUi(), (user, password) -> isAdmin(context, user, password));
    }

    /** Whether {@code password} is the admin credential: the API key (user {@code admin}) or a JWT with role admin. */
    static boolean isAdmin(DialectContext context, String user, String password) {
        if (ADMIN.equals(user)) {
            HttpRequestData withKey = new HttpRequestData("GET", "/", Map.of(), Map.of("x-api-key", List.of(password)),
                    new byte[0], "");
            if (context.apiKeys().check(withKey) == null) return true;
        }
        return context.tokens().check(password) instanceof Authenticator.Accepted a
                && !a.principal().anonymous() && a.principal().roles().contains(ADMIN);
    }

    private static final String ADMIN = "admin";

    private static boolean development(Settings s, String key) {
        return switch (s.string(key)) {
            case "development" -> true;
            case "production" -> false;
            default -> throw s.refuse(key, "must be development or production");
        };
    }

    /** Origins allowed to long-poll from another origin ({@code *}: any); empty: no CORS headers. */
    public static EngineIoCors cors(List<String> origins) {
        return origins.isEmpty() ? EngineIoCors.NONE : new EngineIoCors(origins, false, Duration.ofHours(1));
    }
}
