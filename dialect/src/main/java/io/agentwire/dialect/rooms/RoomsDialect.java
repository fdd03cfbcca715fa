package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Presence;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.Principal;
import io.agentwire.core.WireMeters;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.SocketIoConsole;
import io.agentwire.transport.Routes;
import io.agentwire.transport.socketio.Ack;
import io.agentwire.transport.socketio.ConnectReply;
import io.agentwire.transport.socketio.ConnectRequest;
import io.agentwire.transport.socketio.Middleware;
import io.agentwire.transport.socketio.Namespace;
import io.agentwire.transport.socketio.Socket;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoRecovery;
import io.agentwire.transport.socketio.SocketIoServer;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code rooms} dialect (spec 004, the SWE Agent WebSocket API) on AgentWire's Socket.IO server: clients connect
 * to the namespace {@code /ws} with a JWT ({@code auth.token}, or the {@code token} query parameter), receive
 * {@code connection_established}, are put in {@code user:<sub>} and {@code global}, {@code subscribe} /
 * {@code unsubscribe} to project, agent, user and global rooms under the document's access rules, {@code ping}, and
 * receive the server events backends {@link #publish} into the rooms the document names. Room memberships are
 * reported to {@link Presence} (scope {@value #SCOPE}), which answers {@link #stats()}. docs/rooms.md maps the
 * document onto this class and the server's HTTP API.
 *
 * <pre>{@code
 * RoomsDialect rooms = new RoomsDialect(node, presence, jwt::check, RoomsConfig.DEFAULT, Clock.systemUTC());
 * rooms.start().join();                                    // project grants loaded
 * rooms.install(routes);                                   // /socket.io/ on the rooms port (8000)
 * rooms.publish(ServerEvent.fromJson(body, clock));        // a backend's event, to its documented rooms
 * }</pre>
 */
public final class RoomsDialect implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomsDialect.class);
    /** The {@link Presence} scope of this dialect's connections and rooms. */
    public static final String SCOPE = "rooms";

    private final RoomsConfig config;
    private final Presence presence;
    private final TokenCheck tokens;
    private final Clock clock;
    private final SocketIoServer io;
    private final WireMeters meters;
    private final Namespace namespace;
    private final ProjectGrants grants;
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();

    /** A connected socket and what its token says: the user and the projects of its claim. */
    private record Member(Socket socket, String user, Set<String> claimedProjects) { }

    public RoomsDialect(Node node, Presence presence, TokenCheck tokens, RoomsConfig config, Clock clock) {
        this(node, presence, tokens, config, clock, null);
    }

    /**
     * @param records where Socket.IO recovery records are kept so that any node can recover a socket (cluster
     *     mode), or null to keep them in this node's memory
     */
    public RoomsDialect(Node node, Presence presence, TokenCheck tokens, RoomsConfig config, Clock clock,
                        RecoveryRecords records) {
        this(node, presence, tokens, config, clock, records, WireMeters.NONE);
    }

    /** As above, counting its wire traffic on {@code meters} (packets, deliveries, recoveries, errors by code). */
    public RoomsDialect(Node node, Presence presence, TokenCheck tokens, RoomsConfig config, Clock clock,
                        RecoveryRecords records, WireMeters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.config = Objects.requireNonNull(config, "config");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        SocketIoConfig sio = config.socketIo();
        SocketIoRecovery r = sio.recovery();
        // a recovering client shows its token again: an expired or revoked one does not come back
        SocketIoConfig withRecovery = sio.withRecovery(new SocketIoRecovery(r.enabled(), r.maxDisconnectionDuration(), false));
        this.io = records == null ? SocketIoServer.create(Objects.requireNonNull(node, "node"), withRecovery)
                : SocketIoServer.create(Objects.requireNonNull(node, "node"), withRecovery, records);
        io.meters(meters);
        this.grants = new ProjectGrants(node, this::revoked);
        this.namespace = io.namespace(config.namespace());
        namespace.use(Middleware.of(this::admit)).onConnection(this::connected).restoreRooms(this::mayRestore);
        if (!config.namespace().equals("/")) {
            io.sockets().use(Middleware.of(request -> ConnectReply.reject("Invalid namespace")));
        }
    }

    public RoomsConfig config() {
        return config;
    }

    /** The Socket.IO server (for instruments such as the Admin UI). */
    public SocketIoServer socketIo() {
        return io;
    }

    /**
     * Loads the project grants; call once before serving. The future is the first attempt: if it fails (the broker
     * is unreachable), the grants keep trying in the background and {@link #grantsReady()} says when they are in.
     */
    public CompletableFuture<Void> start() {
        return grants.start();
    }

    /** True while the project grants are loaded and followed live (for readiness). */
    public boolean grantsReady() {
        return grants.ready();
    }

    /**
     * Adds the Socket.IO routes (Engine.IO at the configured path, e.g. {@code /socket.io/}) to {@code routes}. The
     * Engine.IO handshake takes anyone: the JWT is checked when the client joins the namespace.
     */
    public Routes.Builder install(Routes.Builder routes) {
        return io.install(routes, request -> new Authenticator.Accepted(Principal.ANONYMOUS));
    }

    /**
     * Delivers {@code event} to the sockets of its documented rooms (a socket in several of them gets it once), on
     * every node sharing the broker; completes with the rooms once the core stream took it. Connected clients
     * receive it as the Socket.IO event named by its type, with the payload {@code {type, timestamp, source, data}}.
     */
    public CompletableFuture<List<String>> publish(ServerEvent event) {
        List<String> rooms = event.rooms().stream().map(RoomName::name).toList();
        return namespace.to(rooms.toArray(String[]::new)).emit(event.type().wireName(), event.toJson())
                .thenApply(p -> {
                    published.incrementAndGet();
                    return rooms;
                });
    }

    /** Server events published through this node. */
    public long published() {
        return published.get();
    }

    /** Connections and room member counts of the dialect, as {@link Presence} answers them (the whole cluster). */
    public CompletableFuture<Presence.Snapshot> stats() {
        return presence.snapshot(SCOPE);
    }

    /** Lets {@code user} subscribe to {@code project:<project>}; completes once it applies on this node. */
    public CompletableFuture<Void> grant(String user, String project) {
        checkIds(user, project);
        return grants.grant(user, project);
    }

    /**
     * Withdraws a grant; sockets of {@code user} in the project's room leave it unless their token lists the
     * project. Completes once it applies on this node.
     */
    public CompletableFuture<Void> revoke(String user, String project) {
        checkIds(user, project);
        return grants.revoke(user, project);
    }

    /** The projects granted to {@code user} over the API (not those of its tokens). */
    public Set<String> grantedProjects(String user) {
        return grants.projects(user);
    }

    /** Sockets connected to the namespace on this node. */
    /** The web console's view of this dialect's namespace: its sockets and rooms. */
    public ConsoleView console() {
        return SocketIoConsole.of(namespace);
    }

    public int connections() {
        return members.size();
    }

    /** Open Engine.IO sessions of the rooms port, also those that have not joined the namespace (yet). */
    public int engineIoSessions() {
        return io.connectionCount();
    }

    /** Closes every connection (their state is kept for recovery by another start) and the grants' subscription. */
    @Override
    public void close() {
        io.close();
        grants.close();
    }

    // ---- connecting (event loop) ----

    private ConnectReply admit(ConnectRequest request) {
        Authenticator.Result result = tokens.check(token(request));
        if (result instanceof Authenticator.Rejected rejected) {
            ErrorCode code = rejected.code() == ErrorCode.AUTH_MISSING ? ErrorCode.AUTH_MISSING : ErrorCode.AUTH_FAILED;
            log.info("rooms: refused a connection to {} from {}: {} ({})", request.namespace(),
                    request.request().remoteAddress(), code, rejected.message());
            meters.error(code.name());
            return ConnectReply.reject(Messages.message(code), Messages.connectionError(code, clock));
        }
        Principal p = ((Authenticator.Accepted) result).principal();
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("user_id", p.id());
        ArrayNode projects = data.putArray("projects");
        claimedProjects(p.claims().get(config.projectsClaim())).forEach(projects::add);
        return ConnectReply.acceptAs(p.id(), data); // a recovery token is bound to this user
    }

    /**
     * {@code auth.token}, else the handshake's {@code Authorization: Bearer} header or, failing that, its {@code token}
     * query parameter (the order of the other dialects); null if none.
     */
    private static String token(ConnectRequest request) {
        JsonNode t = request.auth().get("token");
        if (t != null && !t.isNull()) return t.isTextual() ? t.textValue() : t.toString();
        return request.request().bearerToken().orElse(null);
    }

    private static Set<String> claimedProjects(Object claim) {
        Set<String> out = new LinkedHashSet<>();
        if (claim instanceof String s && RoomName.validId(s)) out.add(s);
        if (claim instanceof List<?> list) {
            for (Object o : list) if (o instanceof String s && RoomName.validId(s)) out.add(s);
        }
        return out;
    }

    /**
     * Whether a recovering socket, as its new token and the current grants say, may be put back in {@code room}:
     * what it missed in a room it may no longer enter is then never replayed.
     */
    private boolean mayRestore(ObjectNode data, String room) {
        RoomName name = RoomName.parse(room);
        return name != null && allows(member(null, data), name);
    }

    private static Member member(Socket socket, ObjectNode data) {
        Set<String> projects = new LinkedHashSet<>();
        data.path("projects").forEach(p -> projects.add(p.asText()));
        return new Member(socket, data.path("user_id").asText(), Set.copyOf(projects));
    }

    private void connected(Socket socket) {
        Member m = member(socket, socket.data());
        String user = m.user();
        members.put(socket.id(), m);
        presence.connected(SCOPE, socket.id());
        socket.onDisconnect(reason -> {
            members.remove(socket.id(), m);
            presence.disconnected(SCOPE, socket.id());
        });
        if (socket.recovered()) { // rooms restored (already checked by mayRestore): check again, a grant may have gone
            for (String room : socket.rooms()) {
                RoomName name = RoomName.parse(room);
                if (name == null) continue; // the socket's own id
                if (allows(m, name)) presence.joined(SCOPE, socket.id(), room); else socket.leave(room);
            }
        }
        for (RoomName auto : List.of(RoomName.user(user), RoomName.GLOBAL)) {
            socket.join(auto.name());
            presence.joined(SCOPE, socket.id(), auto.name());
        }
        socket.on("subscribe", (args, ack) -> subscribe(m, args, ack));
        socket.on("unsubscribe", (args, ack) -> unsubscribe(m, args, ack));
        socket.on("ping", (args, ack) -> ack.send(Messages.pong()));
        socket.emit("connection_established", Messages.established(socket.id(), user, clock));
        log.debug("rooms: {} connected as {} ({}recovered)", socket.id(), user, socket.recovered() ? "" : "not ");
    }

    // ---- client commands (event loop) ----

    private void subscribe(Member m, ArrayNode args, Ack ack) {
        RoomName room = room(args);
        if (room == null) {
            fail(ack, ErrorCode.INVALID_ROOM);
        } else if (!allows(m, room)) {
            fail(ack, ErrorCode.ROOM_ACCESS_DENIED);
        } else {
            m.socket().join(room.name());
            presence.joined(SCOPE, m.socket().id(), room.name());
            ack.send(Messages.success(room.name()));
        }
    }

    private void unsubscribe(Member m, ArrayNode args, Ack ack) {
        RoomName room = room(args);
        if (room == null) {
            fail(ack, ErrorCode.INVALID_ROOM);
            return;
        }
        m.socket().leave(room.name());
        presence.left(SCOPE, m.socket().id(), room.name());
        ack.send(Messages.success(room.name()));
    }

    private void fail(Ack ack, ErrorCode code) {
        meters.error(code.name());
        ack.send(Messages.failure(code));
    }

    /** The room of {@code {room: "…"}}, or null when the argument names none. */
    private static RoomName room(ArrayNode args) {
        JsonNode r = args.path(0).path("room");
        return r.isTextual() ? RoomName.parse(r.textValue()) : null;
    }

    /**
     * The document's "Room Access Control": global and agent rooms (read-only: clients only listen) for everyone,
     * a user's room for that user alone, a project room for the users whose token lists the project or who were
     * granted it.
     */
    private boolean allows(Member m, RoomName room) {
        return switch (room.kind()) {
            case GLOBAL, AGENT -> true;
            case USER -> room.id().equals(m.user());
            case PROJECT -> m.claimedProjects().contains(room.id()) || grants.has(m.user(), room.id());
        };
    }

    /** A grant was withdrawn: the user's sockets that relied on it leave the project's room. */
    private void revoked(String user, String project) {
        String room = RoomName.project(project).name();
        for (Member m : members.values()) {
            if (m.user().equals(user) && !m.claimedProjects().contains(project) && m.socket().rooms().contains(room)) {
                m.socket().leave(room);
                presence.left(SCOPE, m.socket().id(), room);
            }
        }
    }

    private static void checkIds(String user, String project) {
        if (!RoomName.validId(user)) throw new IllegalArgumentException("not a valid user id");
        if (!RoomName.validId(project)) throw new IllegalArgumentException("not a valid project id");
    }
}
