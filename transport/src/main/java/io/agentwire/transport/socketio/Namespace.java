package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Publication;
import io.agentwire.core.WireFormat;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import io.agentwire.protocol.socketio.SocketIo5Codec;
import io.agentwire.protocol.socketio.SocketIo5Packet;
import io.agentwire.transport.engineio.Outgoing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One Socket.IO namespace ({@code /}, {@code /chat} …): its middleware, its connection handlers, its local sockets,
 * and its core stream {@code sio:<server>:<name>}, which carries every broadcast of the namespace (and, with
 * recovery, every direct emit) with its target rooms. One subscription per namespace and server ({@link
 * NamespaceFeed}) hands each entry to the local sockets of its rooms ({@link RoomIndex}); the stream's offsets are
 * the offsets Socket.IO clients resume from.
 */
public final class Namespace {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SocketIoServer server;
    private final String name;
    private final String stream;
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Socket> sockets = new ConcurrentHashMap<>();
    private final RecoveryStore recovery;
    private final RoomIndex index = new RoomIndex();
    private final NamespaceFeed feed;
    private volatile RoomCheck roomCheck = (data, room) -> true;
    /** The rooms a publication aims at, read once per publication. */
    final WireFormat<Target> target = Target::of;
    /** A publication as Engine.IO packets (text, then attachments) and their frames, encoded once per publication. */
    final WireFormat<Outgoing> wire = this::encode;

    Namespace(SocketIoServer server, String name) {
        this.server = server;
        this.name = name;
        this.stream = "sio:" + server.config().name() + ":" + name;
        this.recovery = new RecoveryStore(server.config().recovery().maxDisconnectionDuration(), server.recoveryRecords(),
                server.config().name() + ":" + name);
        this.feed = new NamespaceFeed(this, server.node(), index);
    }

    public String name() {
        return name;
    }

    /** The core stream of this namespace's broadcasts. */
    public String stream() {
        return stream;
    }

    /** Adds a middleware; middlewares run in order for every socket that asks to join. */
    public Namespace use(Middleware middleware) {
        middlewares.add(java.util.Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** Called on the socket's event loop for each socket that joined (after the CONNECT answer was sent). */
    public Namespace onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(java.util.Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** A broadcast to the sockets in {@code rooms}. */
    public Broadcast to(String... rooms) {
        return all().to(rooms);
    }

    /** A broadcast to every socket except those in {@code rooms}. */
    public Broadcast except(String... rooms) {
        return all().except(rooms);
    }

    /** A volatile broadcast to every socket. */
    public Broadcast asVolatile() {
        return all().asVolatile();
    }

    /** Broadcasts to every socket of the namespace. */
    public CompletableFuture<Publication> emit(String event, Object... args) {
        return all().emit(event, args);
    }

    /** The sockets connected to this namespace on this node. */
    public Collection<Socket> sockets() {
        return List.copyOf(sockets.values());
    }

    /** A local socket by id, or null. */
    public Socket socket(String id) {
        return sockets.get(id);
    }

    /** The number of sockets connected to this namespace on this node. */
    int size() {
        return sockets.size();
    }

    Broadcast all() {
        return new Broadcast(this, Set.of(), Set.of(), false);
    }

    SocketIoServer server() {
        return server;
    }

    RecoveryStore recovery() {
        return recovery;
    }

    RoomIndex index() {
        return index;
    }

    NamespaceFeed feed() {
        return feed;
    }

    void added(Socket s) {
        sockets.put(s.id(), s);
    }

    void removed(Socket s) {
        sockets.remove(s.id(), s);
    }

    List<Consumer<Socket>> connectionHandlers() {
        return connectionHandlers;
    }

    /** Runs the middlewares in order; the first rejection (or failure) wins. */
    CompletionStage<ConnectReply> admit(ConnectRequest request) {
        CompletionStage<ConnectReply> chain = CompletableFuture.completedFuture(ConnectReply.accept());
        for (Middleware m : middlewares) {
            chain = chain.thenCompose(previous -> {
                if (previous instanceof ConnectReply.Reject) return CompletableFuture.completedFuture(previous);
                CompletionStage<ConnectReply> next = m.check(request);
                return next.thenApply(r -> r == null ? ConnectReply.accept() : merge(previous, r));
            });
        }
        return chain;
    }

    private static ConnectReply merge(ConnectReply previous, ConnectReply next) {
        if (next instanceof ConnectReply.Accept a && previous instanceof ConnectReply.Accept p) {
            ObjectNode data = p.data() == null ? a.data() : p.data().deepCopy();
            if (p.data() != null && a.data() != null) data.setAll(a.data());
            return new ConnectReply.Accept(data, a.owner() != null ? a.owner() : p.owner());
        }
        return next;
    }

    /**
     * Checks each room a recovering socket had against what it may enter now (its new token, current grants): a
     * room the check refuses is not restored, and what the socket missed in it is not replayed (only what it missed
     * in the rooms it keeps, or aimed at itself). Without a check every room is restored.
     */
    public Namespace restoreRooms(RoomCheck check) {
        this.roomCheck = java.util.Objects.requireNonNull(check, "check");
        return this;
    }

    /** Decides, on the socket's event loop, whether a recovering socket may be put back in a room. */
    @FunctionalInterface
    public interface RoomCheck {
        /**
         * @param data the socket's data as it is now (the saved data with what the middleware just added)
         * @param room a room the socket was in (never its own id)
         */
        boolean mayRestore(ObjectNode data, String room);
    }

    RoomCheck roomCheck() {
        return roomCheck;
    }

    CompletableFuture<Publication> publish(Set<String> rooms, Set<String> except, boolean isVolatile, ArrayNode data) {
        ObjectNode entry = NODES.objectNode();
        ArrayNode r = entry.putArray("r");
        rooms.forEach(r::add);
        ArrayNode x = entry.putArray("x");
        except.forEach(x::add);
        if (isVolatile) entry.put("v", true);
        entry.set("d", data);
        return server.node().publish(stream, entry);
    }

    private Outgoing encode(Publication p) {
        JsonNode d = p.data().get("d");
        ArrayNode args = d != null && d.isArray() ? ((ArrayNode) d).deepCopy() : NODES.arrayNode();
        if (server.config().recovery().enabled() && !p.encoded(target).isVolatile()) {
            args.add(RecoveryStore.offset(p.position()));
        }
        return Outgoing.of(Socket.packets(SocketIo5Packet.of(SocketIo5Packet.Type.EVENT, name, args)));
    }

    /** Who a publication is for. */
    record Target(Set<String> rooms, Set<String> except, boolean isVolatile) {
        static Target of(Publication p) {
            return new Target(strings(p.data().get("r")), strings(p.data().get("x")), p.data().path("v").asBoolean(false));
        }

        boolean matches(Set<String> socketRooms) {
            boolean in = rooms.isEmpty();
            for (String room : socketRooms) {
                if (except.contains(room)) return false;
                if (!in && rooms.contains(room)) in = true;
            }
            return in;
        }

        private static Set<String> strings(JsonNode n) {
            if (n == null || !n.isArray() || n.isEmpty()) return Set.of();
            Set<String> out = new HashSet<>();
            n.forEach(e -> out.add(e.asText()));
            return out;
        }
    }

    static List<EngineIo4Packet> wireOf(SocketIo5Codec.Encoded e) {
        List<EngineIo4Packet> out = new ArrayList<>(1 + e.attachments().size());
        out.add(EngineIo4Packet.message(e.text()));
        e.attachments().forEach(a -> out.add(EngineIo4Packet.binary(a)));
        return List.copyOf(out);
    }
}
