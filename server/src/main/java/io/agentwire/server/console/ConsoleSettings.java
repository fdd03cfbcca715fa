package io.agentwire.server.console;

import java.time.Duration;
import java.util.Objects;

/**
 * The web console's settings ({@code agentwire.console}, docs/console.md).
 *
 * @param enabled whether the console may be served; it is served only when an admin credential exists as well
 *     (the HTTP API key, {@code agentwire.auth.api-key}) or in dev mode
 * @param path where it is served on the HTTP port, e.g. {@code /console}
 * @param sessionTtl how long a login lasts without use (each request renews it)
 * @param secureCookie whether the session cookie carries {@code Secure} (set it behind a TLS-terminating proxy)
 * @param adminRole the JWT {@code roles} entry that may log in with a token
 */
public record ConsoleSettings(boolean enabled, String path, Duration sessionTtl, boolean secureCookie, String adminRole) {
    public static final ConsoleSettings DEFAULT =
            new ConsoleSettings(true, "/console", Duration.ofMinutes(30), false, "admin");

    public ConsoleSettings {
        Objects.requireNonNull(path, "path");
        if (!path.matches("/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")) {
            throw new IllegalArgumentException("path must be like /console (no trailing slash, no query), was " + path);
        }
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("sessionTtl must be positive, was " + sessionTtl);
        }
        Objects.requireNonNull(adminRole, "adminRole");
        if (adminRole.isBlank()) throw new IllegalArgumentException("adminRole must not be blank");
    }
}
