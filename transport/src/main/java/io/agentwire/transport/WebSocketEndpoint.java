package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import java.util.Objects;

/**
 * A WebSocket endpoint: upgrade requests to {@code path} (exactly, any query string allowed; or, if
 * {@code prefix}, every path starting with it) are authenticated by {@code authenticator} — a rejection is an
 * HTTP 401 with the transport's JSON error and no upgrade — and the accepted connections are given to
 * {@code handler}.
 */
public record WebSocketEndpoint(String path, boolean prefix, Authenticator authenticator, WsHandler handler) {
    public WebSocketEndpoint {
        Routes.checkPath(path);
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(handler, "handler");
    }

    /** An endpoint at exactly {@code path}. */
    public static WebSocketEndpoint at(String path, Authenticator authenticator, WsHandler handler) {
        return new WebSocketEndpoint(path, false, authenticator, handler);
    }

    /** An endpoint for every path under {@code prefix}, e.g. {@code /ws/agent-tracking/}. */
    public static WebSocketEndpoint under(String prefix, Authenticator authenticator, WsHandler handler) {
        return new WebSocketEndpoint(prefix, true, authenticator, handler);
    }

    boolean matches(String requestPath) {
        return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
    }
}
