package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Ids;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the Socket.IO Admin UI ({@code @socket.io/admin-ui}'s {@code instrument(io, options)}) on a
 * {@link SocketIoServer}: a namespace ({@code /admin}) that the official Admin UI connects to with
 * {@code auth: {username, password}} (or the {@code sessionId} it was given), refused with "invalid credentials".
 * A connected Admin UI gets {@code session}, {@code config} (its supported features), {@code all_sockets} (development
 * mode) and {@code server_stats} every 2 seconds; then, live, {@code socket_connected}, {@code socket_disconnected},
 * {@code room_joined}, {@code room_left} and (development mode) {@code event_received} / {@code event_sent}. Unless
 * read-only it may ask for {@code _disconnect}, {@code join}, {@code leave} and {@code emit}.
 *
 * <p>What it sends goes straight to the Admin UI connections of this node (never into a namespace's stream, never
 * stored for recovery). A cluster's nodes each serve their own sockets: the Admin UI lists one server per node it is
 * connected to. Everything runs on event loops: the hooks serialize on the observed socket's loop and hand one
 * shared array to each Admin UI connection.
 */
public final class AdminUi implements SocketObserver {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration STATS_EVERY = Duration.ofSeconds(2);
    private static final Duration SESSION_TTL = Duration.ofHours(24);
    private static final int MAX_SESSIONS = 1000;
    private static final Duration GATHER_TIMEOUT = Duration.ofSeconds(10);

    /** Checks the Admin UI's login. CPU work only: it runs on an event loop. */
    @FunctionalInterface
    public interface Credentials {
        boolean check(String username, String password);
    }

    private final SocketIoServer io;
    private final AdminUiSettings settings;
    private final Credentials credentials;
    private final Namespace admin;
    private final Set<Socket> admins = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final AdminEvents events = new AdminEvents(System::currentTimeMillis);
    private final ArrayNode features = NODES.arrayNode();
    private final ObjectNode base = NODES.objectNode();

    private AdminUi(SocketIoServer io, AdminUiSettings settings, Credentials credentials, String hostname) {
        this.io = io;
        this.settings = settings;
        this.credentials = credentials;
        if (!settings.readonly()) {
            List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT").forEach(features::add);
        }
        features.add("AGGREGATED_EVENTS");
        if (settings.development()) features.add("ALL_EVENTS");
        base.put("serverId", hostname).put("hostname", hostname).put("pid", ProcessHandle.current().pid());
        this.admin = io.namespace(settings.namespace());
        admin.use(Middleware.of(this::login)).onConnection(this::adminConnected);
    }

    /**
     * Serves the Admin UI on {@code io} as {@code settings} say (nothing when disabled: null). Call before the
     * server takes connections.
     *
     * @throws IllegalStateException if the server already has the Admin UI's namespace or an instrument
     */
    public static AdminUi instrument(SocketIoServer io, AdminUiSettings settings, Credentials credentials) {
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(credentials, "credentials");
        if (!settings.enabled()) return null;
        if (io.namespaceIfPresent(settings.namespace()) != null) {
            throw new IllegalStateException("the Admin UI namespace " + settings.namespace() + " is already in use");
        }
        AdminUi ui = new AdminUi(io, settings, credentials, hostname());
        io.observe(ui);
        return ui;
    }

    /** Admin UI connections on this node. */
    public int connections() {
        return admins.size();
    }

    // ---- the Admin UI's connections ----

    private ConnectReply login(ConnectRequest request) {
        JsonNode auth = request.auth();
        String session = auth.path("sessionId").asText(null);
        if (session != null) {
            Long until = sessions.get(session);
            if (until != null && until > System.currentTimeMillis()) return ConnectReply.accept();
        }
        String user = auth.path("username").asText(null);
        String password = auth.path("password").asText(null);
        if (user == null || password == null || !credentials.check(user, password)) {
            return ConnectReply.reject("invalid credentials");
        }
        return ConnectReply.accept(NODES.objectNode().put("_adminSession", newSession()));
    }

    private String newSession() {
        long now = System.currentTimeMillis();
        sessions.values().removeIf(until -> until <= now);
        if (sessions.size() >= MAX_SESSIONS) sessions.clear();
        String id = Ids.random(16);
        sessions.put(id, now + SESSION_TTL.toMillis());
        return id;
    }

    private void adminConnected(Socket s) {
        JsonNode session = s.data().remove("_adminSession");
        if (session != null) direct(s, array("session", session));
        if (!settings.readonly()) actions(s);
        direct(s, array("config", NODES.objectNode().set("supportedFeatures", features)));
        // only now does it hear of other sockets: the UI expects session and config first, and an update from
        // another event loop (a socket upgrading, its own included) could otherwise be queued before them
        admins.add(s);
        if (settings.development()) AdminSocketList.of(io, GATHER_TIMEOUT).thenAccept(list -> direct(s, array("all_sockets", list)));
        long[] seen = {events.now() - 1};
        Runnable stats = () -> {
            long now = events.now();
            direct(s, array("server_stats", stats(events.since(seen[0], now))));
            seen[0] = now - 1;
        };
        stats.run();
        ScheduledFuture<?> timer = s.client().session().executor().scheduleAtFixedRate(stats,
                STATS_EVERY.toMillis(), STATS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        s.onDisconnect(reason -> {
            timer.cancel(false);
            admins.remove(s);
        });
    }

    /** The actions, as socket.io v4's instrument: a filter is a room (the UI names a socket by its id). */
    private void actions(Socket s) {
        s.on("_disconnect", (args, ack) -> each(args.path(0).asText(), filter(args.get(2)),
                target -> target.disconnect(args.path(1).asBoolean(false))));
        s.on("join", (args, ack) -> each(args.path(0).asText(), filter(args.get(2)),
                target -> target.join(args.path(1).asText())));
        s.on("leave", (args, ack) -> each(args.path(0).asText(), filter(args.get(2)),
                target -> target.leave(args.path(1).asText())));
        s.on("emit", (args, ack) -> {
            Namespace ns = io.namespaceIfPresent(args.path(0).asText());
            String event = args.path(2).asText(null);
            if (ns == null || ns == admin || event == null || SocketIoNames.RESERVED.contains(event)) return;
            Object[] rest = new Object[Math.max(0, args.size() - 3)];
            for (int i = 3; i < args.size(); i++) rest[i - 3] = args.get(i);
            String filter = filter(args.get(1));
            (filter == null ? ns.all() : ns.to(filter)).emit(event, rest);
        });
    }

    private void each(String namespace, String room, java.util.function.Consumer<Socket> action) {
        Namespace ns = io.namespaceIfPresent(namespace);
        if (ns == null || ns == admin) return;
        for (Socket target : ns.sockets()) {
            if (room == null || target.rooms().contains(room)) action.accept(target);
        }
    }

    private static String filter(JsonNode n) {
        return n == null || !n.isTextual() || n.textValue().isEmpty() ? null : n.textValue();
    }

    private ObjectNode stats(ArrayNode aggregated) {
        ObjectNode o = base.deepCopy();
        o.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        o.put("clientsCount", io.connectionCount());
        o.put("pollingClientsCount", io.pollingCount());
        o.set("aggregatedEvents", aggregated);
        ArrayNode namespaces = o.putArray("namespaces");
        for (Namespace ns : io.namespaces()) namespaces.addObject().put("name", ns.name()).put("socketsCount", ns.size());
        return o;
    }

    // ---- the hooks ----

    @Override
    public void opened() {
        events.add("rawConnection", null, 1);
    }

    @Override
    public void closed(String reason) {
        events.add("rawDisconnection", reason, 1);
    }

    @Override
    public void packetIn(int bytes) {
        events.add("packetsIn", null, 1);
        events.add("bytesIn", null, bytes);
    }

    @Override
    public void packetsOut(int packets, long bytes) {
        events.add("packetsOut", null, packets);
        events.add("bytesOut", null, bytes);
    }

    @Override
    public void connected(Socket socket) {
        if (settings.development() && !admins.isEmpty()) toAdmins(array("socket_connected", AdminSocketList.serialize(socket), now()));
    }

    @Override
    public void disconnected(Socket socket, String reason, Set<String> rooms) {
        if (!settings.development() || admins.isEmpty()) return;
        String ns = socket.namespace().name();
        toAdmins(array("socket_disconnected", ns, socket.id(), reason, now()));
        for (String room : rooms) toAdmins(array("room_left", ns, room, socket.id(), now()));
    }

    @Override
    public void upgraded(Socket socket) {
        if (settings.development() && !admins.isEmpty()) {
            toAdmins(array("socket_updated", NODES.objectNode().put("id", socket.id())
                    .put("nsp", socket.namespace().name()).put("transport", socket.transport())));
        }
    }

    @Override
    public void joined(Socket socket, String room) {
        if (settings.development() && !admins.isEmpty()) {
            toAdmins(array("room_joined", socket.namespace().name(), room, socket.id(), now()));
        }
    }

    @Override
    public void left(Socket socket, String room) {
        if (settings.development() && !admins.isEmpty()) {
            toAdmins(array("room_left", socket.namespace().name(), room, socket.id(), now()));
        }
    }

    @Override
    public void received(Socket socket, ArrayNode eventAndArgs) {
        event("event_received", socket, eventAndArgs);
    }

    @Override
    public void sent(Socket socket, ArrayNode eventAndArgs) {
        event("event_sent", socket, eventAndArgs);
    }

    private void event(String kind, Socket socket, ArrayNode eventAndArgs) {
        if (!settings.development() || admins.isEmpty() || socket.namespace() == admin || eventAndArgs == null) return;
        toAdmins(array(kind, socket.namespace().name(), socket.id(), eventAndArgs, now()));
    }

    private void toAdmins(ArrayNode eventAndArgs) {
        List<EngineIo4Packet> packets = Socket.encode(admin.name(), eventAndArgs);
        for (Socket a : admins) a.direct(packets);
    }

    private static void direct(Socket s, ArrayNode eventAndArgs) {
        s.direct(Socket.encode(s.namespace().name(), eventAndArgs));
    }

    private static ArrayNode array(String event, Object... args) {
        return Args.array(event, args);
    }

    private static String now() {
        return Instant.ofEpochMilli(System.currentTimeMillis()).toString();
    }

    /** This machine's name, as the Admin UI's server id (no DNS lookup: the environment, else the JVM's view). */
    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h;
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "agentwire";
        }
    }
}
