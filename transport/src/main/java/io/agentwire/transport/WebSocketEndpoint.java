package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import java.util.Objects;

/**
 * A WebSocket endpoint: upgrade requests to {@code path} (exactly, any query string allowed; or, if
 * {@code prefix}, every path starting with it) are first shown to {@code upgradeCheck} (a protocol's own checks
 * of the request, e.g. Engine.IO's session id: a reply refuses the upgrade with it), then authenticated by
 * {@code authenticator} — a rejection is an HTTP 401 with the transport's JSON error and no upgrade — and the
 * accepted connections are given to {@code handler}. {@code maxMessageBytes}, when positive, narrows the server's
 * frame limit ({@link ServerConfig#maxFrameBytes()}) for this endpoint's connections, so endpoints with different
 * limits can share a port (0: the server's limit).
 */
public record WebSocketEndpoint(String path, boolean prefix, Authenticator authenticator, WsHandler handler,
                                UpgradeCheck upgradeCheck, int maxMessageBytes) {

    /** Looks at an upgrade request before the handshake. */
    @FunctionalInterface
    public interface UpgradeCheck {
        /** Accepts all. */
        UpgradeCheck NONE = request -> null;

        /** {@code null} to go on with the upgrade, or the HTTP reply that refuses it. Runs on the event loop. */
        HttpReply check(Authenticator.Request request);
    }

    public WebSocketEndpoint {
        Routes.checkPath(path);
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(upgradeCheck, "upgradeCheck");
        if (maxMessageBytes != 0 && maxMessageBytes < ServerConfig.MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be 0 or at least " + ServerConfig.MIN_FRAME_BYTES
                    + ", was " + maxMessageBytes);
        }
    }

    /** An endpoint without an upgrade check, with the server's frame limit. */
    public WebSocketEndpoint(String path, boolean prefix, Authenticator authenticator, WsHandler handler) {
        this(path, prefix, authenticator, handler, UpgradeCheck.NONE, 0);
    }

    /** This endpoint with {@code check} looking at upgrade requests first. */
    public WebSocketEndpoint withUpgradeCheck(UpgradeCheck check) {
        return new WebSocketEndpoint(path, prefix, authenticator, handler, check, maxMessageBytes);
    }

    /** This endpoint with its own frame and message limit (at most the server's: the smaller one applies). */
    public WebSocketEndpoint withMaxMessageBytes(int bytes) {
        return new WebSocketEndpoint(path, prefix, authenticator, handler, upgradeCheck, bytes);
    }

    /** The frame and message limit of this endpoint's connections on a server whose limit is {@code serverLimit}. */
    int frameLimit(int serverLimit) {
        return maxMessageBytes > 0 ? Math.min(maxMessageBytes, serverLimit) : serverLimit;
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
