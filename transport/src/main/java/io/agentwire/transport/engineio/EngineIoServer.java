package io.agentwire.transport.engineio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Ids;
import io.agentwire.core.Principal;
import io.agentwire.transport.HttpExchange;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import io.agentwire.transport.WebSocketEndpoint;
import io.agentwire.transport.WsConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Engine.IO v4 server at one path: the long-polling routes and the WebSocket endpoint, the sessions, and the
 * checks every request passes first (protocol version, transport, session id, method — each refusal is the
 * reference server's 400 {@code {"code":…,"message":…}}). {@link #install} adds it to a {@link Routes} builder; new
 * sessions are handed to {@code onOpen} on their event loop, which sets their {@link EngineIoSession.Listener}.
 */
public final class EngineIoServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);
    private static final List<String> METHODS = List.of("GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH");

    private final EngineIoConfig config;
    private final Authenticator authenticator;
    private final Consumer<EngineIoSession> onOpen;
    private final ConcurrentHashMap<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    private final EngineIoWebSocket webSocket = new EngineIoWebSocket(this);

    public EngineIoServer(EngineIoConfig config, Authenticator authenticator, Consumer<EngineIoSession> onOpen) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
    }

    public EngineIoConfig config() {
        return config;
    }

    /** Adds the long-polling routes and the WebSocket endpoint at {@link EngineIoConfig#path()}. */
    public Routes.Builder install(Routes.Builder routes) {
        for (String m : METHODS) routes.exchange(m, config.path(), this::onHttp);
        return routes.webSocket(WebSocketEndpoint.at(config.path(), authenticator, webSocket)
                .withUpgradeCheck(webSocket::check));
    }

    /** Open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Closes every session ("server shutting down"). */
    @Override
    public void close() {
        sessions.values().forEach(s -> s.close("server shutting down"));
    }

    EngineIoSession session(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    void remove(EngineIoSession s) {
        sessions.remove(s.id(), s);
    }

    /** Event loop of the request: a new session, handed to onOpen. */
    EngineIoSession open(java.util.concurrent.ScheduledExecutorService loop, Authenticator.Request request,
                         Principal principal, WsConnection ws) {
        EngineIoSession s = new EngineIoSession(Ids.random(10), this, loop, request, principal, ws);
        sessions.put(s.id(), s);
        try {
            onOpen.accept(s);
        } catch (RuntimeException e) {
            log.error("eio {}: open callback failed", s.id(), e);
        }
        return s;
    }

    /**
     * The checks of every Engine.IO request, in the reference server's order: the transport, then the session id
     * (known; and for HTTP, not upgraded), then, for a handshake, the method (GET only) and the protocol version.
     *
     * @return the error code, or -1 if the request may go on
     */
    int verify(Map<String, List<String>> query, String method, boolean upgrade) {
        String transport = first(query, "transport");
        if (transport == null || !config.allows(transport)) return EngineIoErrors.UNKNOWN_TRANSPORT;
        if (!upgrade && EngineIoConfig.WEBSOCKET.equals(transport)) return EngineIoErrors.BAD_REQUEST;
        if (upgrade && !EngineIoConfig.WEBSOCKET.equals(transport)) return EngineIoErrors.BAD_REQUEST;
        String sid = first(query, "sid");
        if (sid != null) {
            if (!sessions.containsKey(sid)) return EngineIoErrors.UNKNOWN_SID;
            return -1;
        }
        if (!"GET".equals(method)) return EngineIoErrors.BAD_HANDSHAKE_METHOD;
        if (!"4".equals(first(query, "EIO"))) return EngineIoErrors.UNSUPPORTED_PROTOCOL_VERSION;
        return -1;
    }

    private CompletableFuture<HttpReply> onHttp(HttpRequestData req, HttpExchange exchange) {
        Map<String, String> cors = config.cors().headers(req);
        if ("OPTIONS".equals(req.method()) && config.cors().enabled() && req.header("origin").isPresent()) {
            return done(new HttpReply(204, "text/plain", new byte[0], config.cors().preflightHeaders(req)));
        }
        int error = verify(req.query(), req.method(), false);
        if (error >= 0) return done(EngineIoErrors.reply(error, cors));
        String sid = req.queryParam("sid").orElse(null);
        if (sid == null) return handshake(req, exchange, cors);
        EngineIoSession s = sessions.get(sid);
        if (s == null) return done(EngineIoErrors.reply(EngineIoErrors.UNKNOWN_SID, cors));
        if (!"GET".equals(req.method()) && !"POST".equals(req.method())) {
            return done(EngineIoErrors.reply(EngineIoErrors.BAD_REQUEST, cors));
        }
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        s.execute(() -> {
            if ("GET".equals(req.method())) {
                s.onPoll(req, exchange, cors).whenComplete((r, e) -> {
                    if (e != null) reply.completeExceptionally(e); else reply.complete(r);
                });
            } else {
                reply.complete(s.onData(req, cors));
            }
        });
        return reply;
    }

    private CompletableFuture<HttpReply> handshake(HttpRequestData req, HttpExchange exchange, Map<String, String> cors) {
        Principal principal;
        try {
            if (!(authenticator.authenticate(req.authRequest()) instanceof Authenticator.Accepted a)) {
                return done(EngineIoErrors.reply(EngineIoErrors.FORBIDDEN, cors));
            }
            principal = a.principal();
        } catch (RuntimeException e) {
            log.error("authenticator of {} failed", config.path(), e);
            return done(EngineIoErrors.reply(EngineIoErrors.FORBIDDEN, cors));
        }
        EngineIoSession s = open(exchange.executor(), req.authRequest(), principal, null);
        HttpReply reply = new HttpReply(200, "text/plain; charset=UTF-8",
                s.openPacket().getBytes(java.nio.charset.StandardCharsets.UTF_8), withNoStore(cors));
        s.opened();
        return done(reply);
    }

    private static Map<String, String> withNoStore(Map<String, String> headers) {
        java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
        h.put("cache-control", "no-store");
        return h;
    }

    private static CompletableFuture<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }

    static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
