package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentGateway;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Blocking;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Principal;
import io.agentwire.core.TokenBucket;
import io.agentwire.core.ToolCatalog;
import io.agentwire.core.WireMeters;
import io.agentwire.dialect.spi.BannerLine;
import io.agentwire.dialect.spi.Bound;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectMetrics;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.SocketIoConsole;
import io.agentwire.transport.socketio.Ack;
import io.agentwire.transport.socketio.ConnectReply;
import io.agentwire.transport.socketio.ConnectRequest;
import io.agentwire.transport.socketio.Middleware;
import io.agentwire.transport.socketio.Namespace;
import io.agentwire.transport.socketio.Socket;
import io.agentwire.dialect.spi.SocketIoSettings;
import io.agentwire.transport.socketio.SocketIoServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code progress} dialect (spec 001, the Self-Engineering Agent Framework's Socket.IO API, and what its real
 * browser front end needs — specs/001-real-system.md) on AgentWire's Socket.IO server: the default namespace on its
 * own port (5001), anonymous clients (or a JWT with {@code require-token}), {@code connected} and {@code tool_count}
 * on connect, {@code query} running the configured agent with its events as {@code agent_event}s to the session's
 * room, then one {@code query_complete}, {@code session_memory} and {@code tool_count}; the REST API
 * ({@link ProgressApi}) and a static front end ({@link StaticFiles}) on the same port. docs/progress.md maps the
 * document onto it.
 *
 * <p>Delivery is per session: a socket that queries a session joins its room {@code session:<id>}, and the
 * session's events go to that room only. A second query while one runs on the session is refused with an
 * {@code error} (the socket still joins the room and gets the running query's result). A run that ends while no
 * socket of its session is connected to this node keeps its {@code query_complete}, re-sent to the first socket
 * that queries the session again (old clients without connection-state recovery).
 */
public final class ProgressDialect implements Dialect {
    private static final Logger log = LoggerFactory.getLogger(ProgressDialect.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String NO_PROMPT = "No prompt provided";
    static final String NO_SESSION = "Please start a new session before sending prompts.";
    static final int MAX_SESSION_ID = 200;

    /** What turns and the API share. */
    record Parts(Node node, AgentGateway agents, SessionMemory memory, ProgressSettings settings,
                 Optional<ToolCatalog> catalog, WireMeters meters) { }

    /** A session's state on this node: its running turn and an undelivered final result (either may be null). */
    private record SessionState(Turn running, ObjectNode undelivered) { }

    private final DialectContext context;
    private final ProgressSettings settings;
    private final Parts parts;
    private final SocketIoServer io;
    private final Namespace namespace;
    private final ProgressApi api;
    private final StaticFiles statics;
    private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();

    public ProgressDialect(DialectContext context, ProgressSettings settings) {
        this.context = context;
        this.settings = settings;
        Optional<ToolCatalog> catalog = context.service(ToolCatalog.class);
        this.parts = new Parts(context.node(), context.agents(), new SessionMemory(context.node(), context.clock()),
                settings, catalog, context.wireMeters(ProgressProvider.NAME));
        this.io = context.recoveryRecords()
                .map(r -> SocketIoServer.create(context.node(), settings.socketIo(), r))
                .orElseGet(() -> SocketIoServer.create(context.node(), settings.socketIo()))
                .meters(parts.meters());
        SocketIoSettings.adminUi(io, context);
        this.namespace = io.namespace("/");
        namespace.use(Middleware.of(this::admit)).onConnection(this::connected);
        this.api = new ProgressApi(parts, settings.socketIo().engineIo().cors().origins(),
                settings.requireToken() ? context.jwt() : DialectContext.ANYONE);
        this.statics = settings.staticDir().map(StaticFiles::new).orElse(null);
    }

    @Override
    public List<Listener> listeners() {
        int maxPayload = settings.socketIo().engineIo().maxPayload();
        return List.of(new Listener(settings.address(), Math.max(maxPayload, 125), maxPayload, routes -> {
            io.install(routes, request -> new Authenticator.Accepted(Principal.ANONYMOUS));
            api.install(routes);
            if (statics != null) statics.install(routes);
        }));
    }

    @Override
    public void metrics(DialectMetrics m) {
        m.gauge("agentwire.progress.connections", "Sockets connected to the progress dialect on this node",
                () -> namespace.sockets().size());
        m.gauge("agentwire.progress.queries.running", "Queries running on this node",
                () -> sessions.values().stream().filter(s -> s.running() != null).count());
        m.counter("agentwire.progress.queries", "Queries accepted", queries::get);
        m.counter("agentwire.progress.queries.refused", "Queries refused (validation, rate limit, busy session)", refused::get);
        m.counter("agentwire.progress.queries.completed", "Queries answered with success", completed::get);
        m.counter("agentwire.progress.queries.failed", "Queries answered with success false", failed::get);
        m.counter("agentwire.progress.results.redelivered", "Final results re-sent to a session's next socket",
                redelivered::get);
    }

    @Override
    public Map<String, BooleanSupplier> readiness() {
        return Map.of("progress", context.node()::ready);
    }

    @Override
    public List<BannerLine> banner(Bound bound, String sampleToken) {
        String base = "http://" + bound.hostPort(settings.address());
        String what = base + settings.socketIo().engineIo().path() + " (Socket.IO, spec 001), " + base + "/api"
                + (statics != null ? ", front end " + settings.staticDir().get() + " at " + base + "/" : "")
                + (settings.requireToken() ? " (JWT required)" : " (anonymous)");
        return List.of(BannerLine.of("progress", what));
    }

    @Override
    public void close() {
        io.close();
    }

    /** Sockets connected on this node. */
    /** The web console's view of this dialect's namespace: its sockets and rooms. */
    @Override
    public ConsoleView console() {
        return SocketIoConsole.of(namespace);
    }

    public int connections() {
        return namespace.sockets().size();
    }

    // ---- connecting (event loop) ----

    private ConnectReply admit(ConnectRequest request) {
        if (!settings.requireToken()) return ConnectReply.accept(NODES.objectNode().put("user_id", Principal.ANONYMOUS.id()));
        JsonNode t = request.auth().get("token");
        String token = t != null && t.isTextual() ? t.textValue() : request.request().bearerToken().orElse(null);
        Authenticator.Result result = context.tokens().check(token);
        if (result instanceof Authenticator.Rejected rejected) {
            log.info("progress: refused a connection from {}: {}", request.request().remoteAddress(), rejected.message());
            return ConnectReply.reject(rejected.code() == ErrorCode.AUTH_MISSING
                    ? "Authentication required" : "Authentication failed");
        }
        return ConnectReply.accept(NODES.objectNode().put("user_id", ((Authenticator.Accepted) result).principal().id()));
    }

    private void connected(Socket socket) {
        buckets.put(socket.id(), new TokenBucket(settings.queriesPerMinute() / 60.0, settings.queryBurst()));
        socket.onDisconnect(reason -> buckets.remove(socket.id()));
        socket.on("query", (args, ack) -> query(socket, args, ack));
        if (socket.recovered()) {
            // its rooms came back with the events it missed: nothing is waiting for it any more, and it had its
            // greeting on its first connection (a recovered socket is the same socket: nothing is sent twice)
            for (String room : socket.rooms()) {
                if (room.startsWith(ROOM)) {
                    sessions.computeIfPresent(room.substring(ROOM.length()),
                            (k, s) -> s.running() == null ? null : new SessionState(s.running(), null));
                }
            }
            return;
        }
        socket.emit("connected", NODES.objectNode().put("data", "Connected to agent"));
        toolCount().thenAccept(n -> socket.emit("tool_count", toolCount(n)));
    }

    private static final String ROOM = "session:";

    // ---- query (event loop) ----

    private void query(Socket socket, com.fasterxml.jackson.databind.node.ArrayNode args, Ack ack) {
        JsonNode a = args.path(0);
        String prompt = a.path("prompt").isTextual() ? a.path("prompt").textValue() : "";
        String sid = a.path("session_id").isTextual() ? a.path("session_id").textValue()
                : a.path("session_id").isNumber() ? a.path("session_id").asText() : "";
        ack.send(); // the real server's handler returns None: an empty acknowledgement when one is asked for
        if (prompt.isBlank()) {
            refuse(socket, ErrorCode.MISSING_FIELD, NO_PROMPT);
            return;
        }
        if (sid.isBlank()) {
            refuse(socket, ErrorCode.SESSION_REQUIRED, NO_SESSION);
            return;
        }
        if (sid.length() > MAX_SESSION_ID || sid.chars().anyMatch(Character::isISOControl)) {
            refuse(socket, ErrorCode.INVALID_FIELD, "Invalid session_id: at most " + MAX_SESSION_ID + " characters, no control characters.");
            return;
        }
        if (prompt.length() > settings.maxPromptChars()) {
            refuse(socket, ErrorCode.PAYLOAD_TOO_LARGE, "The prompt is too long (" + prompt.length() + " characters; at most "
                    + settings.maxPromptChars() + ").");
            return;
        }
        TokenBucket bucket = buckets.get(socket.id());
        if (bucket != null && !bucket.tryAcquire()) {
            long wait = Math.max(1, (bucket.retryAfterMillis() + 999) / 1000);
            parts.meters().rateLimited();
            refuse(socket, ErrorCode.RATE_LIMITED, "Too many queries: please wait " + wait + " s before sending another.");
            return;
        }
        socket.join(ROOM + sid);
        Turn[] started = new Turn[1];
        ObjectNode[] waiting = new ObjectNode[1];
        sessions.compute(sid, (k, s) -> {
            waiting[0] = s == null ? null : s.undelivered();
            if (s != null && s.running() != null) return new SessionState(s.running(), null); // busy until it ended
            started[0] = new Turn(parts, host, sid, prompt, principal(socket));
            return new SessionState(started[0], null);
        });
        Turn turn = started[0];
        ObjectNode undelivered = waiting[0];
        if (undelivered != null) { // the result of a run that ended while no socket of the session was here
            redelivered.incrementAndGet();
            socket.emit("query_complete", undelivered);
        }
        if (turn == null) {
            refuse(socket, ErrorCode.RUN_IN_PROGRESS, "A query is already running in this session; its result will follow.");
            return;
        }
        queries.incrementAndGet();
        turn.start();
    }

    /** The {@code error} event (the document's has a message only; {@code code} is what the metrics count). */
    private void refuse(Socket socket, ErrorCode code, String message) {
        refused.incrementAndGet();
        parts.meters().error(code.name());
        socket.emit("error", NODES.objectNode().put("message", message));
    }

    private static Principal principal(Socket socket) {
        String user = socket.data().path("user_id").asText(Principal.ANONYMOUS.id());
        return user.equals(Principal.ANONYMOUS.id()) ? Principal.ANONYMOUS : Principal.user(user);
    }

    private final Turn.Host host = new Turn.Host() {
        @Override
        public CompletableFuture<?> emitToRoom(String sessionId, String event, JsonNode payload) {
            return namespace.to(ROOM + sessionId).emit(event, payload);
        }

        @Override
        public CompletableFuture<Integer> toolCount() {
            return ProgressDialect.this.toolCount();
        }

        @Override
        public void ended(Turn turn, ObjectNode queryComplete) {
            (queryComplete.path("success").asBoolean() ? completed : failed).incrementAndGet();
            String room = ROOM + turn.sessionId;
            boolean anyone = namespace.sockets().stream().anyMatch(k -> k.connected() && k.rooms().contains(room));
            sessions.computeIfPresent(turn.sessionId, (k, s) -> {
                Turn running = s.running() == turn ? null : s.running();
                ObjectNode undelivered = anyone ? null : queryComplete;
                return running == null && undelivered == null ? null : new SessionState(running, undelivered);
            });
        }
    };

    CompletableFuture<Integer> toolCount() {
        return parts.catalog().map(c -> Blocking.supply(c::count).exceptionally(e -> {
            log.warn("progress: the tool catalog failed to count its tools", e);
            return 0;
        })).orElse(CompletableFuture.completedFuture(0));
    }

    static ObjectNode toolCount(int n) {
        return NODES.objectNode().put("count", n);
    }

    static ObjectNode sessionMemory(String sessionId, ArrayNode messages) {
        ObjectNode m = NODES.objectNode().put("session_id", sessionId);
        m.set("messages", messages);
        return m;
    }
}
