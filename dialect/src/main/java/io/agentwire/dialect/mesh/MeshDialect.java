package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Blocking;
import io.agentwire.core.Principal;
import io.agentwire.dialect.spi.BannerLine;
import io.agentwire.dialect.spi.Bound;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectMetrics;
import io.agentwire.dialect.spi.DialectStartException;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.SocketIoConsole;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.Routes;
import io.agentwire.transport.socketio.Ack;
import io.agentwire.transport.socketio.ConnectReply;
import io.agentwire.transport.socketio.ConnectRequest;
import io.agentwire.transport.socketio.Namespace;
import io.agentwire.transport.socketio.Socket;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoRecovery;
import io.agentwire.dialect.spi.SocketIoSettings;
import io.agentwire.transport.socketio.SocketIoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mesh} dialect: spec 003 (the MXF WebSocket API) and the real MXF SDK's vocabulary on one Socket.IO
 * namespace ({@code /}, port 3001). A socket passes two authentication layers ({@link Credentials}), then each event
 * it sends goes through the {@link #on event table} — rate limit, vocabulary, handler — and is answered in the
 * vocabulary it was asked in. Agents ({@link Agents}), channels and messages ({@link Channels}), tasks
 * ({@link Tasks}) and memory ({@link Memory}) are the families; durable state lives in {@link MeshState}. The next
 * families (control loops, MCP tools) register their events with {@link #on}. docs/mesh.md maps the document.
 */
public final class MeshDialect implements Dialect {
    private static final Logger log = LoggerFactory.getLogger(MeshDialect.class);
    static final String SCOPE = "mesh";
    /** Late {@code auth} attempts a socket gets before it is disconnected. */
    static final int LATE_AUTH_ATTEMPTS = 5;
    private static final java.util.Set<String> DROPS = java.util.Set.of("transport error", "transport close", "ping timeout");

    /** Handles one event; a {@link Refusal} becomes the family's error. */
    interface Handler {
        void handle(Call call) throws Refusal;
    }

    /** Which vocabulary an event name belongs to: the document's, the real SDK's, or either (told by the payload). */
    enum Vocab { SPEC, REAL, EITHER }

    private record Route(String family, RateLimits.Category category, Vocab vocab, Handler handler) { }

    final DialectContext context;
    final MeshSettings settings;
    final MeshState state;
    final Agents agents;
    final AgentDirectory directory;
    final Deliveries deliveries;
    final RateLimits limits;
    final Mxp mxp;
    final MxpFanout mxpFanout;
    final Channels channels;
    final Tasks tasks;
    final Memory memory;
    final Tools tools;
    final Loops loops;
    final MeshMeters meters;
    final Credentials credentials;
    private final SocketIoServer io;
    private final Namespace ns;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;
    private final long startedAt = System.currentTimeMillis();
    final AtomicLong messages = new AtomicLong();
    private final AtomicLong refusedConnections = new AtomicLong();

    MeshDialect(DialectContext context, MeshSettings settings) {
        this.context = context;
        this.settings = settings;
        this.state = new MeshState(context.node());
        this.limits = new RateLimits(settings.limits());
        this.mxp = new Mxp(settings.mxpKey(), settings.mxpSalt());
        this.credentials = new Credentials(settings.domainKey(), state, context.tokens());
        SocketIoConfig sio = settings.socketIo();
        SocketIoRecovery r = sio.recovery();
        // a recovering client shows its credentials again: both layers run on every reconnection
        sio = sio.withRecovery(new SocketIoRecovery(r.enabled(), r.maxDisconnectionDuration(), false));
        this.meters = new MeshMeters(context);
        this.io = (context.recoveryRecords().isPresent()
                ? SocketIoServer.create(context.node(), sio, context.recoveryRecords().get())
                : SocketIoServer.create(context.node(), sio)).meters(meters.wire());
        SocketIoSettings.adminUi(io, context);
        this.ns = io.sockets();
        this.deliveries = new Deliveries(ns);
        this.tasks = new Tasks(this);
        this.agents = new Agents();
        this.directory = new AgentDirectory(context.node(), agents, this::now);
        agents.directory(directory);
        this.channels = new Channels(this);
        this.mxpFanout = new MxpFanout(this);
        this.memory = new Memory(this);
        this.tools = new Tools(this);
        this.loops = new Loops(this);
        ns.use(this::admit).onConnection(this::connected);
        registerAgentEvents();
        channels.register();
        tasks.register();
        memory.register();
        tools.register();
        loops.register();
        on("heartbeat", "agent", RateLimits.Category.NONE, Vocab.EITHER, c -> { }); // accepted silently
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("mesh-timer").factory());
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Adds an event to the table (issue 16's control loops and MCP tools plug in here): its error family
     * ({@code agent}, {@code channel}, {@code message}, {@code task}, {@code memory}, {@code mcp}), rate-limit
     * category and vocabulary.
     */
    void on(String event, String family, RateLimits.Category category, Vocab vocab, Handler handler) {
        routes.put(event, new Route(family, category, vocab, handler));
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    long now() {
        return context.clock().millis();
    }

    Namespace namespace() {
        return ns;
    }

    Iterable<Member> members() {
        return members.values();
    }

    // ---- Dialect ----

    /** The web console's view: the namespace's sockets, the channels (rooms) with members, and the mesh agents. */
    @Override
    public ConsoleView console() {
        return new SocketIoConsole(ns) {
            @Override
            public Page<AgentRow> agents(Query query) {
                return Page.of(agents.all().stream().sorted(java.util.Comparator.comparing(a -> a.agentId))
                        .map(a -> new AgentRow(a.agentId, "mesh", a.online() ? "online" : a.status,
                                (a.role == null ? "" : a.role + " ") + "channels " + String.join(",", a.channels))),
                        r -> query.matches(r.name(), r.status(), r.detail()), query);
            }
        };
    }

    @Override
    public List<Listener> listeners() {
        int frame = settings.socketIo().engineIo().maxPayload();
        return List.of(new Listener(settings.address(), Math.max(frame, 125), frame, b -> {
            io.install(b, request -> new Authenticator.Accepted(Principal.ANONYMOUS));
            b.get("/health", request -> CompletableFuture.completedFuture(HttpReply.json(200, health())));
            new MeshRest(this).install(b); // the real SDK's REST calls, with an agent key
        }));
    }

    @Override
    public void api(Routes.Builder routes) {
        new MeshApi(this).install(routes);
    }

    @Override
    public void metrics(DialectMetrics m) {
        m.gauge("agentwire.mesh.connections", "open mesh (Socket.IO) connections on this node", members::size);
        m.gauge("agentwire.mesh.agents.online", "mesh agents online on this node", agents::onlineCount);
        m.gauge("agentwire.mesh.channels", "mesh channels", state::channelCount);
        m.counter("agentwire.mesh.messages", "channel, direct and broadcast messages relayed", messages::get);
        m.counter("agentwire.mesh.connections.refused", "connections refused by the domain key", refusedConnections::get);
    }

    @Override
    public Map<String, BooleanSupplier> readiness() {
        return Map.of("mesh state", state::ready);
    }

    @Override
    public List<BannerLine> banner(Bound bound, String sampleToken) {
        String path = settings.socketIo().engineIo().path();
        return List.of(BannerLine.of("mesh", "http://" + bound.localHostPort(settings.address()) + path
                + " (spec 003 / MXF, namespace /" + (settings.domainKey().isEmpty() ? "; no domain key: refusing all" : "") + ")"));
    }

    @Override
    public void start() {
        try {
            state.start().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DialectStartException("interrupted while reading the mesh state", e);
        } catch (Exception e) {
            if (!context.cluster()) throw new DialectStartException("can not read the mesh state: " + e.getMessage(), e);
            log.warn("mesh: the state can not be read yet ({}); retrying in the background", e.getMessage());
        }
        mxpFanout.start().exceptionally(e -> {
            log.warn("mesh: can not follow {} yet ({}); retrying in the background", MxpFanout.STREAM, e.getMessage());
            return null;
        });
        directory.start().exceptionally(e -> {
            log.warn("mesh: can not follow {} yet ({}); retrying in the background", AgentDirectory.STREAM, e.getMessage());
            return null;
        });
        tasks.resume();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        io.close();
        mxpFanout.close();
        directory.close();
        state.close();
    }

    private ObjectNode health() {
        ObjectNode h = Json.obj().put("status", "ok").put("timestamp", Call.iso(now()))
                .put("uptime", (System.currentTimeMillis() - startedAt) / 1000.0).put("environment", context.dev() ? "development" : "production")
                .put("version", "agentwire-mesh");
        h.putObject("servers").put("socketio", "ok").put("state", state.ready() ? "ok" : "loading");
        return h;
    }

    private void tick() {
        try {
            long now = now();
            tasks.expire(now);
            limits.sweep(now);
            directory.tick(now);
        } catch (RuntimeException e) {
            log.warn("mesh: timer: {}", e.toString());
        }
    }

    // ---- connecting ----

    private CompletableFuture<ConnectReply> admit(ConnectRequest request) {
        String refusal = credentials.domain(request.auth());
        if (refusal != null) {
            refusedConnections.incrementAndGet();
            log.info("mesh: refused a connection from {}: {}", request.request().remoteAddress(), refusal);
            return CompletableFuture.completedFuture(ConnectReply.reject(refusal));
        }
        ObjectNode auth = request.auth().deepCopy();
        long now = now();
        return Blocking.supply(() -> credentials.identify(auth, now)).thenApply(result -> {
            ObjectNode data = Json.obj();
            if (result instanceof Credentials.Identity id) {
                data.set("identity", Json.MAPPER.valueToTree(id));
            } else {
                Credentials.Failure f = (Credentials.Failure) result;
                // a recovering socket must not get its rooms and missed events back with credentials that fail now
                if (request.recovering()) return ConnectReply.reject(f.message());
                data.putNull("identity");
                data.set("failure", Json.MAPPER.valueToTree(f));
            }
            boolean real = auth.path("vocabulary").asText(auth.has("keyId") ? "real" : "spec").equals("real");
            data.put("real", real);
            return ConnectReply.accept(data);
        });
    }

    private void connected(Socket socket) {
        ObjectNode data = socket.data();
        if (data.path("identity").isNull() || data.path("identity").isMissingNode()) {
            presence(socket, true);
            unauthenticated(socket, Json.MAPPER.convertValue(data.path("failure"), Credentials.Failure.class));
            return;
        }
        Credentials.Identity id = Json.MAPPER.convertValue(data.path("identity"), Credentials.Identity.class);
        serve(socket, id, data.path("real").asBoolean());
    }

    /** An authenticated socket: a member with the event table, and its first events. */
    private void serve(Socket socket, Credentials.Identity id, boolean real) {
        Member m = new Member(socket, id.userId(), id.username(), id.authType(), id.agentId(), id.channelId(), id.keyId(), real);
        members.put(socket.id(), m);
        presence(socket, true);
        socket.onDisconnect(reason -> disconnected(m, reason));
        if (socket.recovered()) { // rooms restored: keep the agent / user room of this identity and its channels
            for (String room : socket.rooms()) {
                if (room.startsWith("ch:")) {
                    String ch = room.substring(3, room.length() - 2);
                    if (m.isKey() && !ch.equals(m.boundChannel)) socket.leave(room); else m.channels.add(ch);
                }
            }
        }
        socket.join(m.home() + Member.suffix(m.real()));
        for (Map.Entry<String, Route> e : routes.entrySet()) {
            String event = e.getKey();
            Route route = e.getValue();
            socket.on(event, (args, ack) -> dispatch(m, event, route, args, ack));
        }
        if (m.isKey()) {
            bootstrapAgent(m);
        } else {
            socket.emit("auth:success", Json.obj().put("userId", m.userId).put("username", m.username)
                    .put("authType", m.authType));
        }
        log.debug("mesh: {} connected ({}, {})", socket.id(), m.authType, m.isKey() ? m.agentId() : m.username);
    }

    /**
     * Layer 2 failed: the real server keeps the socket connected and says so; nothing is served but a late
     * {@code auth} event with credentials (the real server's late authentication).
     */
    private void unauthenticated(Socket socket, Credentials.Failure f) {
        socket.emit("auth:error", Json.obj().put("error", f.message()).put("timestamp", now()));
        socket.emit("error", Json.obj().put("code", f.code()).put("message", f.message()));
        meters.refused(f.code());
        java.util.concurrent.atomic.AtomicBoolean served = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        socket.onDisconnect(reason -> {
            if (!served.get()) presence(socket, false);
        });
        socket.on("auth", (args, ack) -> {
            JsonNode a = args.path(0);
            if (!a.isObject() || served.get()) return;
            if (attempts.incrementAndGet() > LATE_AUTH_ATTEMPTS) { // password hashing is costly: no guessing loop
                socket.disconnect();
                return;
            }
            long now = now();
            Blocking.supply(() -> credentials.identify(a, now)).whenComplete((r, e) -> {
                if (r instanceof Credentials.Identity id && served.compareAndSet(false, true)) {
                    presence(socket, false); // serve() reports it again, with the member's disconnect handler
                    serve(socket, id, a.path("vocabulary").asText(a.has("keyId") ? "real" : "spec").equals("real"));
                    ack.send(Json.obj().put("success", true));
                } else {
                    socket.emit("auth:error", Json.obj().put("error", "Authentication failed").put("timestamp", now()));
                    ack.send(Json.obj().put("success", false).put("error", "Authentication failed"));
                }
            });
        });
        log.info("mesh: {} failed authentication ({})", socket.id(), f.code());
    }

    /** The real bootstrap of a key: in its channel, registered and connected, without asking. */
    private void bootstrapAgent(Member m) {
        String agentId = m.agentId();
        String ch = m.boundChannel;
        Agents.Agent a = agents.get(agentId);
        boolean cameOnline = !a.online();
        JsonNode claimed = m.socket.handshake().auth().get("capabilities");
        if (claimed != null && claimed.isArray()) a.capabilities = Json.strings(claimed);
        agents.attach(agentId, m.socket.id(), m.owner(), now());
        context.presence().joined(SCOPE, m.socket.id(), "agent:" + agentId);
        ObjectNode channelConfig = state.channel(ch).map(c -> Json.obj().put("channelId", ch)
                .put("name", c.path("name").asText(ch)).put("description", c.path("description").asText(""))
                .put("showActiveAgents", true).put("systemLlmEnabled", false)).orElse(null);
        ObjectNode success = Json.obj().put("agentId", agentId).put("channelId", ch).put("authType", "key");
        success.set("channelConfig", channelConfig);
        success.set("activeAgents", Json.arr(agents.online(ch).stream().map(x -> x.agentId).toList()));
        m.socket.emit("auth:success", success);
        channels.enter(m, ch, cameOnline);
        long now = now();
        m.socket.emit("agent:registered", Call.envelope("agent:registered", agentId, ch, Json.obj()
                .put("socketId", m.socket.id()).put("timestamp", now).put("status", "registered")
                .set("capabilities", Json.arr(a.capabilities)), now));
        m.socket.emit("agent:connected", Call.envelope("agent:connected", agentId, ch,
                Json.obj().put("socketId", m.socket.id()).put("timestamp", now), now));
        loops.ownerReturned(m);
    }

    private void disconnected(Member m, String reason) {
        members.remove(m.socket.id(), m);
        presence(m.socket, false);
        String agentId = m.agentId();
        if (agentId != null) {
            boolean last = agents.detach(agentId, m.socket.id(), now());
            if (!last) return;
            for (String ch : m.channels) channels.left(agentId, ch, false);
            // the server stopping keeps every assignment; a dropped connection may come back (recovery, the SDK's
            // reconnection): its tasks wait a little; an agent that left hands them on at once
            if (reason.startsWith("server shutting down") || closed) return;
            if (!DROPS.contains(reason)) {
                if (agents.find(agentId).map(a -> !a.online()).orElse(true)) tasks.agentOffline(agentId);
                return;
            }
            try {
                timer.schedule(() -> {
                    if (agents.find(agentId).map(a -> !a.online()).orElse(true)) tasks.agentOffline(agentId);
                }, settings.reassignAfterDrop().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void presence(Socket socket, boolean on) {
        if (on) context.presence().connected(SCOPE, socket.id()); else context.presence().disconnected(SCOPE, socket.id());
    }

    // ---- the event table ----

    private void dispatch(Member m, String event, Route route, ArrayNode args, Ack ack) {
        JsonNode arg = args.path(0);
        boolean envelope = arg.isObject() && arg.has("eventType") && arg.path("data").isObject();
        boolean real = route.vocab() == Vocab.REAL || (route.vocab() == Vocab.EITHER && envelope);
        ObjectNode data = envelope ? (ObjectNode) arg.get("data") : arg.isObject() ? (ObjectNode) arg : Json.obj();
        Call call = new Call(m, event, real, data, envelope ? arg : null, ack, now());
        if (route.vocab() != Vocab.EITHER || envelope) m.speak(real);
        meters.request(route.family());
        try {
            if (!arg.isObject() && route.category() != RateLimits.Category.NONE) {
                throw Refusal.invalid("payload", event + ": the payload must be a JSON object");
            }
            long wait = limits.take(m.subject(), route.category(), call.now);
            if (wait > 0) {
                throw new Refusal("RATE_LIMITED", "Too many requests: " + limits.limit(route.category()) + " "
                        + route.category().name().toLowerCase().replace('_', ' ') + " per minute; retry after " + wait + " ms",
                        Json.obj().put("category", route.category().name().toLowerCase())
                                .put("limit", limits.limit(route.category())).put("retryAfterMs", wait));
            }
            route.handler().handle(call);
        } catch (Refusal r) {
            meters.refused(r.code);
            call.fail(route.family(), r);
        } catch (RuntimeException e) {
            log.warn("mesh: {} from {} failed", event, m.socket.id(), e);
            meters.refused("INTERNAL_ERROR");
            call.fail(route.family(), Refusal.of("INTERNAL_ERROR", "Server error"));
        }
    }

    // ---- agents ----

    /**
     * Whether the member may act as {@code agentId}: a key only as its own agent; a user not as an agent that an
     * agent key names, nor as one online for someone else (no one takes over another's deliveries).
     */
    void mayActAs(Member m, String agentId) throws Refusal {
        if (m.isKey()) {
            if (!agentId.equals(m.agentId())) throw Refusal.of("PERMISSION_DENIED", "this key is bound to agent " + m.agentId());
            return;
        }
        if (agentId.equals(m.agentId())) return;
        boolean keyed = state.keys().stream().anyMatch(k -> agentId.equals(k.agentId()) && !k.revoked());
        Agents.Agent a = agents.find(agentId).orElse(null);
        boolean othersOnline = a != null && a.online() && !("user:" + m.userId).equals(a.owner);
        if (keyed || othersOnline) {
            throw new Refusal("PERMISSION_DENIED", "agent " + agentId + " belongs to " + (keyed ? "an agent key" : "another connection"),
                    Json.obj().put("agentId", agentId));
        }
    }

    private void registerAgentEvents() {
        on("agent:register", "agent", RateLimits.Category.NONE, Vocab.EITHER, this::register);
        on("agent:update", "agent", RateLimits.Category.NONE, Vocab.SPEC, this::update);
        on("agent:status", "agent", RateLimits.Category.NONE, Vocab.SPEC, this::status);
        on("agent:status:change", "agent", RateLimits.Category.NONE, Vocab.REAL, c -> {
            String s = Json.text(c.data, "status");
            if (c.member.agentId() != null && s != null && List.of("online", "busy", "away").contains(s)) {
                agents.get(c.member.agentId()).status = s;
                agents.changed(agents.get(c.member.agentId()));
            }
            c.ok(Json.obj());
        });
        on("agent:connect", "agent", RateLimits.Category.NONE, Vocab.REAL, c -> c.ok(Json.obj())); // bootstrap did it
    }

    private void register(Call c) throws Refusal {
        Member m = c.member;
        String agentId = c.real ? (m.agentId() != null ? m.agentId() : Json.text(c.envelope, "agentId")) : c.required("agentId");
        if (agentId == null || agentId.isBlank()) throw Refusal.invalid("agentId", "'agentId' is required");
        mayActAs(m, agentId);
        String ch = c.channelId();
        if (!c.real && ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        if (ch != null) channels.check(m, ch, true);
        Agents.Agent a = agents.get(agentId);
        boolean cameOnline = !a.online();
        apply(a, c.data);
        m.actAs(agentId);
        agents.attach(agentId, m.socket.id(), m.owner(), c.now);
        context.presence().joined(SCOPE, m.socket.id(), "agent:" + agentId);
        if (ch != null) channels.enter(m, ch, cameOnline);
        ObjectNode spec = a.toJson();
        ObjectNode real = Json.obj().put("socketId", m.socket.id()).put("timestamp", c.now).put("status", "registered");
        real.set("capabilities", Json.arr(a.capabilities));
        c.reply("agent:registered", spec, "agent:registered", real);
        loops.ownerReturned(m);
    }

    private static void apply(Agents.Agent a, JsonNode d) {
        if (Json.text(d, "name") != null) a.name = Json.text(d, "name");
        if (Json.text(d, "role") != null) a.role = Json.text(d, "role");
        if (d.has("capabilities")) a.capabilities = Json.strings(d.get("capabilities"));
        if (Json.text(d, "model") != null) a.model = Json.text(d, "model");
        if (Json.text(d, "description") != null) a.description = Json.text(d, "description");
        if (d.path("metadata").isObject()) a.metadata = d.get("metadata").deepCopy();
        String status = Json.text(d, "status");
        if (status != null && List.of("online", "busy", "away", "offline").contains(status)) a.status = status;
    }

    private void update(Call c) throws Refusal {
        String agentId = c.required("agentId");
        if (!agentId.equals(c.member.agentId())) throw Refusal.of("PERMISSION_DENIED", "an agent may update only itself");
        JsonNode updates = c.data.get("updates");
        if (updates == null || !updates.isObject()) throw Refusal.invalid("updates", "'updates' must be an object");
        String status = Json.text(updates, "status");
        if (status != null && !List.of("online", "busy", "away", "offline").contains(status)) {
            throw Refusal.invalid("updates.status", "'updates.status' must be online, busy, away or offline");
        }
        Agents.Agent a = agents.get(agentId);
        apply(a, updates);
        agents.changed(a);
        c.reply("agent:updated", a.toJson(), null, null);
    }

    private void status(Call c) throws Refusal {
        String agentId = c.required("agentId");
        Agents.Agent a = agents.find(agentId).orElseThrow(() -> Refusal.of("AGENT_NOT_FOUND", "no agent " + agentId));
        c.reply("agent:status:response", a.toJson(), null, null);
    }
}
