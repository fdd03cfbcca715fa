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
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Engine.IO v4 server at one path: the long-polling routes and the WebSocket endpoint, the sessions, and the
 * checks every request passes first (protocol version, transport, session id, method — each refusal is the
 * reference server's 400 {@code {"code":…,"message":…}}). {@link #install} adds it to a {@link Routes} builder; new
 * sessions are handed to {@code onOpen} on their event loop, which sets their {@link EngineIoSession.Listener}.
 *
 * <p>With a {@code pendingTimeout}, a new session is <em>pending</em> until the layer above calls
 * {@link EngineIoSession#established()} (Socket.IO: a namespace CONNECT its middleware accepted). Pending sessions
 * are bounded in number ({@link EngineIoConfig#maxPendingSessions()}: one more closes the oldest pending one if that
 * one has had {@link #minPendingAge} to be established, else the handshake is refused with 503) and in lifetime
 * (closed after {@code pendingTimeout}), so an unauthenticated flood holds a bounded amount of memory while a client
 * that got in has time to connect. One
 * sweep per server (not a timer per session) applies the lifetimes, also those of closing sessions.
 */
public final class EngineIoServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);
    private static final List<String> METHODS = List.of("GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH");

    private final EngineIoConfig config;
    private final Authenticator authenticator;
    private final Consumer<EngineIoSession> onOpen;
    private final ConcurrentHashMap<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ScheduledExecutorService, PingWheel> pingWheels = new ConcurrentHashMap<>();
    private final EngineIoWebSocket webSocket = new EngineIoWebSocket(this);
    private final Duration pendingTimeout;
    private final AtomicInteger pending = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> pendingByAddress = new ConcurrentHashMap<>();
    private final AgeQueue pendingOrder;
    /** The heartbeat's clock (nanoseconds, as the event loops' timers); tests with frozen loop time replace it. */
    volatile java.util.function.LongSupplier clock = System::nanoTime;
    /** Sessions closed by the server, kept until the client's next poll collects the close packet. */
    private final AgeQueue closingForced;
    /** Sessions the client closed over long-polling, kept briefly for a poll it sent at the same moment. */
    private final AgeQueue closingByClient;
    private ScheduledFuture<?> sweep;
    private boolean closed;

    /** A server whose sessions are established as soon as they open (plain Engine.IO). */
    public EngineIoServer(EngineIoConfig config, Authenticator authenticator, Consumer<EngineIoSession> onOpen) {
        this(config, authenticator, onOpen, null);
    }

    /**
     * A server whose sessions stay pending until {@link EngineIoSession#established()}, at most {@code pendingTimeout}
     * (null: established when they open).
     */
    public EngineIoServer(EngineIoConfig config, Authenticator authenticator, Consumer<EngineIoSession> onOpen,
                          Duration pendingTimeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
        this.pendingTimeout = pendingTimeout;
        this.pendingOrder = new AgeQueue(pendingTimeout == null ? Long.MAX_VALUE : pendingTimeout.toNanos());
        this.closingForced = new AgeQueue(config.pingInterval().plus(config.pingTimeout()).toNanos());
        this.closingByClient = new AgeQueue(Math.min(CLIENT_CLOSE_LINGER.toNanos(), config.pingTimeout().toNanos()));
    }

    /** How long a session the client closed over long-polling still answers one poll (with a noop). */
    static final Duration CLIENT_CLOSE_LINGER = Duration.ofSeconds(1);

    public EngineIoConfig config() {
        return config;
    }

    /** Adds the long-polling routes and the WebSocket endpoint at {@link EngineIoConfig#path()}. */
    public Routes.Builder install(Routes.Builder routes) {
        for (String m : METHODS) routes.exchange(m, config.path(), this::onHttp);
        routes.headCheck(config.path(), this::onHead);
        return routes.webSocket(WebSocketEndpoint.at(config.path(), authenticator, webSocket)
                .withUpgradeCheck(webSocket::check));
    }

    /** Open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Open sessions that long-poll (not upgraded to a WebSocket); read racily, for statistics. */
    public int pollingCount() {
        int n = 0;
        for (EngineIoSession s : sessions.values()) if (EngineIoConfig.POLLING.equals(s.transportName())) n++;
        return n;
    }

    /** Sessions waiting to be established (see the class comment). */
    public int pendingCount() {
        return pending.get();
    }

    /** Closes every session ("server shutting down"). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (sweep != null) sweep.cancel(false);
        }
        sessions.values().forEach(s -> s.close("server shutting down"));
    }

    EngineIoSession session(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    void remove(EngineIoSession s) {
        sessions.remove(s.id(), s);
    }

    /** A pending session was established or closed (once per pending session). */
    void leftPending(String address) {
        pending.decrementAndGet();
        pendingByAddress.computeIfPresent(String.valueOf(address), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private AtomicInteger pendingOf(String address) {
        return pendingByAddress.computeIfAbsent(String.valueOf(address), k -> new AtomicInteger());
    }

    /** A session entered its closing state: the sweep ends it after its linger, if no poll did first. */
    void closing(EngineIoSession s, boolean byServer) {
        (byServer ? closingForced : closingByClient).add(s, System.nanoTime());
    }

    private volatile long evicted;
    private volatile long refused;

    /** How long a pending session is safe from being closed to make room: half the pending timeout, 1 s at most. */
    long minPendingAge() {
        return Math.min(TimeUnit.SECONDS.toNanos(1), pendingTimeout.toNanos() / 2);
    }

    /**
     * Before a handshake: whether there is room for one more pending session, closing the oldest pending one if it
     * is old enough. False: the handshake is refused (503). With {@code reserve}, a true answer has counted the new
     * session as pending already (atomically, so concurrent handshakes can not overshoot the limit).
     */
    boolean roomForHandshake(boolean reserve, String address) {
        if (pendingTimeout == null) return true;
        AtomicInteger mine = pendingByAddress.get(String.valueOf(address));
        if (mine != null && mine.get() >= config.maxPendingSessionsPerAddress()) {
            if (++refused % 1_000 == 1) {
                log.warn("{}: {} has {} sessions waiting for a namespace CONNECT, the limit per address; refusing its "
                        + "handshakes with 503 ({} so far)", config.path(), address, mine.get(), refused);
            }
            return false;
        }
        for (int n = pending.get(); n < config.maxPendingSessions(); n = pending.get()) {
            if (!reserve) return true;
            if (pending.compareAndSet(n, n + 1)) {
                pendingOf(address).incrementAndGet();
                return true;
            }
        }
        if (pendingOrder.expireOldest(System.nanoTime(), minPendingAge(), EngineIoSession::isPending,
                EngineIoSession::expirePending)) {
            if (reserve) { // the closed one leaves the counts on its own event loop
                pending.incrementAndGet();
                pendingOf(address).incrementAndGet();
            }
            if (++evicted % 1_000 == 1) {
                log.warn("{}: {} sessions wait for a namespace CONNECT, the limit; closing the oldest ({} so far)",
                        config.path(), config.maxPendingSessions(), evicted);
            }
            return true;
        }
        if (++refused % 1_000 == 1) {
            log.warn("{}: {} sessions wait for a namespace CONNECT, the limit; refusing handshakes with 503 ({} so far)",
                    config.path(), config.maxPendingSessions(), refused);
        }
        return false;
    }
    /** The pings of the sessions of {@code loop} (one wheel per event loop). */
    PingWheel pingWheel(ScheduledExecutorService loop) {
        return pingWheels.computeIfAbsent(loop, l -> new PingWheel(l, config.pingInterval().toNanos()));
    }

    private synchronized void startSweep(ScheduledExecutorService loop) {
        if (sweep != null || closed) return;
        long shortest = Math.min(config.pingTimeout().toMillis(),
                pendingTimeout == null ? Long.MAX_VALUE : pendingTimeout.toMillis());
        long every = Math.max(20, Math.min(1_000, shortest / 4));
        sweep = loop.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        long now = System.nanoTime();
        pendingOrder.sweep(now, EngineIoSession::isPending, EngineIoSession::expirePending);
        closingForced.sweep(now, EngineIoSession::isClosing, EngineIoSession::finishClosing);
        closingByClient.sweep(now, EngineIoSession::isClosing, EngineIoSession::finishClosing);
    }

    /**
     * The head of a request, before its body: a POST to a session while another POST of it is still arriving on
     * another connection is refused (400) and closes the session, as the reference server does.
     */
    private HttpReply onHead(String method, Map<String, List<String>> query, HttpExchange connection) {
        if (!"POST".equals(method)) return null;
        EngineIoSession s = session(first(query, "sid"));
        if (s == null || s.beginPost(connection)) return null;
        log.debug("eio {}: overlapping POST requests; closing", s.id());
        s.close("transport error");
        return EngineIoErrors.reply(EngineIoErrors.BAD_REQUEST, Map.of());
    }

    /** Event loop of the request: a new session, handed to onOpen. */
    EngineIoSession open(ScheduledExecutorService loop, Authenticator.Request request, Principal principal,
                         WsConnection ws) {
        return open(loop, request, principal, ws, false);
    }

    /**
     * Event loop of the request: a new session, handed to onOpen.
     *
     * @param reserved whether {@link #roomForHandshake(boolean)} already counted it as pending
     */
    EngineIoSession open(ScheduledExecutorService loop, Authenticator.Request request,
                         Principal principal, WsConnection ws, boolean reserved) {
        EngineIoSession s = new EngineIoSession(Ids.random(10), this, loop, request, principal, ws);
        startSweep(loop);
        if (pendingTimeout != null) {
            s.pending();
            if (!reserved) {
                pending.incrementAndGet();
                pendingOf(request.remoteAddress()).incrementAndGet();
            }
            pendingOrder.add(s, System.nanoTime());
        }
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
        if ("POST".equals(req.method())) {
            EngineIoSession posted = session(req.queryParam("sid").orElse(null));
            if (posted != null) posted.endPost(exchange);
        }
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
        if (!roomForHandshake(true, req.remoteAddress())) return done(EngineIoErrors.busy(cors));
        EngineIoSession s = open(exchange.executor(), req.authRequest(), principal, null, true);
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
