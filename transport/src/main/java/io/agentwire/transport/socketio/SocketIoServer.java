package io.agentwire.transport.socketio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Node;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.Publication;
import io.agentwire.core.WireMeters;
import io.agentwire.transport.Routes;
import io.agentwire.transport.engineio.EngineIoServer;
import io.agentwire.transport.engineio.EngineIoSession;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A Socket.IO v4 server (Engine.IO v4, Socket.IO protocol v5, connection state recovery) on AgentWire's transport and
 * core, shaped like socket.io's {@code Server}:
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(node, SocketIoConfig.DEFAULTS);
 * io.namespace("/ws").use(Middleware.of(req -> req.auth().has("token") ? ConnectReply.accept() : ConnectReply.reject("no token")))
 *   .onConnection(socket -> socket.on("subscribe", (args, ack) -> {
 *       socket.join(args.get(0).asText());
 *       ack.send("ok");
 *   }));
 * io.to("room-1").except(someSocketId).emit("news", Map.of("title", "hello"));
 * NettyServer http = new NettyServer(transport, ServerConfig.of("0.0.0.0", 3000), io.install(Routes.builder(), auth).build());
 * }</pre>
 *
 * Namespaces exist once {@link #namespace} named them; a client asking for another gets "Invalid namespace". Several
 * servers (ports, paths) may live in one process; give each its own {@link SocketIoConfig#name()}.
 */
public final class SocketIoServer implements AutoCloseable {
    private final Node node;
    private final SocketIoConfig config;
    private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ScheduledExecutorService, LoopInbox> inboxes = new ConcurrentHashMap<>();
    private final RecoveryRecords recoveryRecords;
    private volatile EngineIoServer engine;
    private volatile WireMeters meters = WireMeters.NONE;
    /** The instrument told about connections and sockets ({@link AdminUi}); null: none, one null check per hook. */
    private volatile SocketObserver observer;

    private SocketIoServer(Node node, SocketIoConfig config, RecoveryRecords recoveryRecords) {
        this.node = Objects.requireNonNull(node, "node");
        this.config = Objects.requireNonNull(config, "config");
        this.recoveryRecords = recoveryRecords;
        namespace("/");
    }

    /** A server whose connection state recovery records stay in this process. */
    public static SocketIoServer create(Node node, SocketIoConfig config) {
        return new SocketIoServer(node, config, null);
    }

    /**
     * A server whose recovery records live in {@code records}, shared by every node of a cluster (which also share
     * the Node's broker): a client may recover on any node, also after the one it was on was killed.
     */
    public static SocketIoServer create(Node node, SocketIoConfig config, RecoveryRecords records) {
        return new SocketIoServer(node, config, Objects.requireNonNull(records, "records"));
    }

    /** The shared recovery records, or null when they are kept in memory. */
    RecoveryRecords recoveryRecords() {
        return recoveryRecords;
    }

    public SocketIoConfig config() {
        return config;
    }

    /**
     * Counts this server's wire on {@code m} (set before {@link #install}): events and acknowledgements in and out,
     * deliveries of the namespaces' publications with their latency (replays without), recoveries and
     * not-recovered answers, slow-consumer cut-offs. The dialect counts its own errors and rate limits.
     */
    public SocketIoServer meters(WireMeters m) {
        meters = Objects.requireNonNull(m, "meters");
        return this;
    }

    WireMeters meters() {
        return meters;
    }

    /** The namespace {@code name} ({@code /chat}), created on first use. */
    public Namespace namespace(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith("/") || name.indexOf(',') >= 0) throw new IllegalArgumentException("invalid namespace " + name);
        return namespaces.computeIfAbsent(name, n -> new Namespace(this, n));
    }

    /** The main namespace {@code /}. */
    public Namespace sockets() {
        return namespace("/");
    }

    /** A broadcast to the sockets of the main namespace in {@code rooms}. */
    public Broadcast to(String... rooms) {
        return sockets().to(rooms);
    }

    /** A broadcast to every socket of the main namespace except those in {@code rooms}. */
    public Broadcast except(String... rooms) {
        return sockets().except(rooms);
    }

    /** Broadcasts to every socket of the main namespace. */
    public CompletableFuture<Publication> emit(String event, Object... args) {
        return sockets().emit(event, args);
    }

    /**
     * Adds the Engine.IO routes (long-polling and WebSocket at the configured path) to {@code routes}. The
     * {@code authenticator} runs once per connection at the Engine.IO handshake (a rejection: 403 for
     * long-polling, 401 for a WebSocket); namespaces decide with their middleware.
     */
    public synchronized Routes.Builder install(Routes.Builder routes, Authenticator authenticator) {
        if (engine != null) throw new IllegalStateException("already installed");
        engine = new EngineIoServer(config.engineIo(), authenticator, this::opened, config.connectTimeout());
        return engine.install(routes);
    }

    /** Engine.IO sessions that have not joined a namespace yet. */
    public int pendingCount() {
        EngineIoServer e = engine;
        return e == null ? 0 : e.pendingCount();
    }

    /** Open Engine.IO sessions that long-poll (not upgraded to a WebSocket). */
    public int pollingCount() {
        EngineIoServer e = engine;
        return e == null ? 0 : e.pollingCount();
    }

    /** Open Engine.IO sessions. */
    public int connectionCount() {
        EngineIoServer e = engine;
        return e == null ? 0 : e.sessionCount();
    }

    /**
     * Closes every connection ("server shutting down"; their state is kept for recovery) and the namespaces' core
     * subscriptions (a later connection starts them again).
     */
    @Override
    public void close() {
        EngineIoServer e = engine;
        if (e != null) e.close();
        namespaces.values().forEach(ns -> ns.feed().stop());
    }

    Node node() {
        return node;
    }

    /** The deliveries to the sockets of {@code loop} (one queue per event loop). */
    LoopInbox inbox(ScheduledExecutorService loop) {
        return inboxes.computeIfAbsent(loop, LoopInbox::new);
    }

    java.util.Collection<Namespace> namespaces() {
        return namespaces.values();
    }

    SocketObserver observer() {
        return observer;
    }

    synchronized void observe(SocketObserver o) {
        if (observer != null) throw new IllegalStateException("already instrumented");
        observer = o;
    }

    Namespace namespaceIfPresent(String name) {
        return namespaces.get(name);
    }

    private void opened(EngineIoSession session) {
        session.listener(new SocketIoClient(this, session));
        SocketObserver o = observer;
        if (o != null) o.opened();
    }
}
