package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Ids;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import io.agentwire.core.WireMeters;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import io.agentwire.protocol.socketio.SocketIo5Codec;
import io.agentwire.protocol.socketio.SocketIo5Packet;
import io.agentwire.transport.engineio.EngineIoSession;
import io.agentwire.transport.engineio.Outgoing;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client in one namespace, shaped like socket.io's server-side socket: {@link #on} events, {@link #emit} (with
 * or without an acknowledgement), rooms, per-socket {@link #data()}, {@link #disconnect()}.
 *
 * <p>Its state is confined to its connection's event loop; the public methods may be called from any thread and
 * hop onto it, except those marked "event loop only" (handlers run there, so they may use them freely). Its rooms
 * live in the namespace's {@link RoomIndex}, through which the namespace's one core subscription hands it what is
 * aimed at it, in offset order. With connection state recovery, {@link #emit} is a broadcast to the socket's own
 * room, as in socket.io: stored in the namespace's stream and replayed to a recovering client.
 */
public final class Socket {
    private static final Logger log = LoggerFactory.getLogger(Socket.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom PID_RANDOM = new SecureRandom();

    private enum State { CONNECTING, CONNECTED, DISCONNECTED }

    private final SocketIoClient client;
    private final Namespace namespace;
    private final ObjectNode auth;       // the CONNECT's auth payload, null when empty (most clients send none)
    private final boolean askedToRecover; // the CONNECT carried a pid (and recovery is on)
    private final LoopInbox inbox;
    private static final AtomicReferenceFieldUpdater<Socket, Object> HANDLERS =
            AtomicReferenceFieldUpdater.newUpdater(Socket.class, Object.class, "handlers");
    private static final AtomicReferenceFieldUpdater<Socket, List> DISCONNECT_HANDLERS =
            AtomicReferenceFieldUpdater.newUpdater(Socket.class, List.class, "disconnectHandlers");
    private static final Object[] NO_HANDLERS = {};
    private static final int HANDLERS_IN_ARRAY = 8;
    // immutable, replaced on write: a socket registers a few handlers once, so up to 8 they are one array (event,
    // handler, event, handler …: 32 bytes for two, where Map.copyOf's table took 80) and a Map past that
    private volatile Object handlers = NO_HANDLERS;
    private volatile List<Consumer<String>> disconnectHandlers = List.of();
    private PendingAcks acks; // created by the first emitWithAck: most sockets never wait for one (event loop)
    private volatile String id;
    private volatile boolean recovered;
    private volatile State state = State.CONNECTING;
    private volatile RoomIndex.Member member;
    private volatile boolean resumable;
    private String pid;             // a recovered socket's private id (a fresh one's is rendered from pidHigh, pidLow)
    private long pidHigh;           // a fresh socket's private id: 128 random bits, rendered when sent or saved
    private long pidLow;
    private String owner;
    private ObjectNode data; // created when first used: most sockets never store anything
    private StreamPosition start;
    private StreamPosition position;
    private RecoveryHandshake recovering;
    private ObjectNode admitted;
    private java.util.concurrent.ScheduledFuture<?> liveRefresh;
    private long connectedAt;

    Socket(SocketIoClient client, Namespace namespace, ObjectNode auth, boolean askedToRecover) {
        this.client = client;
        this.namespace = namespace;
        this.auth = auth != null && auth.isEmpty() ? null : auth;
        this.askedToRecover = askedToRecover;
        this.inbox = namespace.server().inbox(client.session().executor());
    }

    /** The socket id (a room holding this socket only). Stable once connected, and kept by a recovery. */
    public String id() { return id; }

    public Namespace namespace() { return namespace; }

    /**
     * The CONNECT request: auth payload, handshake request, principal. Made on each call from what the socket and
     * its Engine.IO session keep (a socket kept one for as long as it was connected: 32 bytes each).
     */
    public ConnectRequest handshake() {
        EngineIoSession session = client.session();
        return new ConnectRequest(namespace.name(), auth, session.request(), session.principal(), askedToRecover);
    }

    /** Whether this socket took over the state of an earlier one (connection state recovery). */
    public boolean recovered() { return recovered; }

    public boolean connected() { return state == State.CONNECTED; }

    /** Arbitrary per-socket data, kept by a recovery. Event loop only. */
    public ObjectNode data() {
        if (data == null) data = NODES.objectNode();
        return data;
    }

    /** The rooms this socket is in (always including its id). Any thread. */
    public Set<String> rooms() {
        RoomIndex.Member m = member;
        return m == null ? Set.of() : namespace.index().rooms(m);
    }

    /** {@code polling} or {@code websocket}. Event loop only. */
    public String transport() { return client.session().transportName(); }

    /** Handles the event {@code event}; a later handler for the same event replaces the earlier one. */
    public Socket on(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        Object before;
        Object after;
        do {
            before = handlers;
            after = withHandler(before, event, handler);
        } while (!HANDLERS.compareAndSet(this, before, after));
        return this;
    }

    @SuppressWarnings("unchecked")
    private static Object withHandler(Object handlers, String event, EventHandler handler) {
        if (handlers instanceof Object[] pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i].equals(event)) {
                    Object[] replaced = pairs.clone();
                    replaced[i + 1] = handler;
                    return replaced;
                }
            }
            if (pairs.length < 2 * HANDLERS_IN_ARRAY) {
                Object[] more = Arrays.copyOf(pairs, pairs.length + 2);
                more[pairs.length] = event;
                more[pairs.length + 1] = handler;
                return more;
            }
            HashMap<String, EventHandler> m = new HashMap<>();
            for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (EventHandler) pairs[i + 1]);
            m.put(event, handler);
            return Map.copyOf(m);
        }
        HashMap<String, EventHandler> m = new HashMap<>((Map<String, EventHandler>) handlers);
        m.put(event, handler);
        return Map.copyOf(m);
    }

    @SuppressWarnings("unchecked")
    private EventHandler handler(String event) {
        Object h = handlers;
        if (h instanceof Object[] pairs) {
            for (int i = 0; i < pairs.length; i += 2) if (pairs[i].equals(event)) return (EventHandler) pairs[i + 1];
            return null;
        }
        return ((Map<String, EventHandler>) h).get(event);
    }

    /** Called once with the reason (socket.io's reasons, e.g. {@code client namespace disconnect}). */
    public Socket onDisconnect(Consumer<String> handler) {
        Objects.requireNonNull(handler, "handler");
        List<Consumer<String>> before;
        List<Consumer<String>> after;
        do {
            before = disconnectHandlers;
            ArrayList<Consumer<String>> l = new ArrayList<>(before);
            l.add(handler);
            after = List.copyOf(l);
        } while (!DISCONNECT_HANDLERS.compareAndSet(this, before, after));
        return this;
    }

    /** Joins rooms, effective for the broadcasts published after this call returns. Any thread. */
    public void join(String... names) {
        RoomIndex.Member m = member;
        if (m != null && state != State.DISCONNECTED) {
            SocketObserver o = namespace.server().observer();
            Set<String> before = o == null ? null : rooms();
            namespace.index().join(m, List.of(names));
            if (o != null) {
                for (String room : names) if (!before.contains(room)) o.joined(this, room);
            }
            if (namespace.recovery().isShared()) client.execute(this::writeLive);
        }
    }

    /** Leaves a room, effective for the broadcasts published after this call returns. Any thread. */
    public void leave(String room) {
        RoomIndex.Member m = member;
        if (m != null) {
            SocketObserver o = namespace.server().observer();
            boolean was = o != null && rooms().contains(room);
            namespace.index().leave(m, room);
            if (was) o.left(this, room);
            if (namespace.recovery().isShared()) client.execute(this::writeLive);
        }
    }

    /** A broadcast to the sockets in {@code rooms}, except this one. */
    public Broadcast to(String... targets) { return namespace.all().except(id).to(targets); }

    /** A broadcast to every socket of the namespace except this one. */
    public Broadcast broadcast() { return namespace.all().except(id); }

    /**
     * Sends an event to this client only. With recovery on, it is published to the namespace's stream for the
     * socket's own room (stored, given an offset, replayed to the client if it missed it — even when emitted while
     * the client is away, as socket.io does). Any thread.
     */
    public void emit(String event, Object... args) {
        checkEvent(event);
        ArrayNode a = Args.array(event, args);
        String sid = id;
        if (!recoveryEnabled()) {
            client.execute(() -> {
                if (state == State.CONNECTED) {
                    sendCounted(packets(event(SocketIo5Packet.NO_ACK, a)));
                    sent(a);
                }
            });
        } else if (sid != null && (state != State.DISCONNECTED || resumable)) {
            namespace.publish(Set.of(sid), Set.of(), false, a).exceptionally(e -> {
                log.warn("sio {}: emit of '{}' was not published", sid, event, e);
                return null;
            });
        }
    }

    /** Sends an event that is dropped if the client can not take it right now; never stored. Any thread. */
    public void volatileEmit(String event, Object... args) {
        checkEvent(event);
        ArrayNode a = Args.array(event, args);
        client.execute(() -> {
            if (state == State.CONNECTED && client.session().writable()) {
                sendCounted(packets(event(SocketIo5Packet.NO_ACK, a)));
                sent(a);
            }
        });
    }

    /**
     * Sends an event and completes with the client's acknowledgement arguments, or a TimeoutException. Not stored
     * for recovery (an acknowledgement can not outlive its connection), as in socket.io. Any thread.
     */
    public CompletableFuture<ArrayNode> emitWithAck(Duration timeout, String event, Object... args) {
        checkEvent(event);
        ArrayNode a = Args.array(event, args);
        CompletableFuture<ArrayNode> result = new CompletableFuture<>();
        client.execute(() -> {
            if (state != State.CONNECTED) {
                result.completeExceptionally(new IllegalStateException("socket is not connected"));
                return;
            }
            if (acks == null) acks = new PendingAcks();
            long ackId = acks.add(result, timeout, client.session().executor());
            sendCounted(packets(event(ackId, a)));
            sent(a);
        });
        return result;
    }

    /**
     * Sends packets encoded for this socket's namespace ({@link #encode}) to this client now, neither stored nor shown
     * to an instrument (the Admin UI's own traffic: one encoding for all its connections). Any thread.
     */
    void direct(List<EngineIo4Packet> packets) {
        client.execute(() -> { if (state == State.CONNECTED) send(packets); });
    }

    /** An event without acknowledgement in namespace {@code ns}, as packets. */
    static List<EngineIo4Packet> encode(String ns, ArrayNode eventAndArgs) {
        return packets(new SocketIo5Packet(SocketIo5Packet.Type.EVENT, ns, SocketIo5Packet.NO_ACK, eventAndArgs));
    }

    SocketIoClient client() {
        return client;
    }

    /** When this socket joined its namespace (epoch milliseconds; 0 before it has). */
    public long connectedAt() {
        return connectedAt;
    }

    /**
     * Packets waiting to go out on this socket's Engine.IO session (its poll buffer plus its WebSocket's send queue):
     * the console's queue depth. Read from any thread, so a snapshot that may be slightly stale.
     */
    public int queued() {
        return client.session().queued();
    }

    private void sent(ArrayNode eventAndArgs) {
        SocketObserver o = namespace.server().observer();
        if (o != null) o.sent(this, eventAndArgs);
    }

    /** Leaves the namespace (the connection stays for other namespaces). Any thread. */
    public void disconnect() {
        disconnect(false);
    }

    /** Leaves the namespace; with {@code close}, closes the whole connection. Any thread. */
    public void disconnect(boolean close) {
        client.execute(() -> {
            if (close) client.disconnectAll(); else serverDisconnect();
        });
    }

    // ---- connecting (event loop) ----

    /**
     * The middleware accepted: restore the saved state (rooms, data, missed events: {@link RecoveryHandshake}) or
     * start a fresh one, once the namespace's feed is live.
     */
    void accepted(ObjectNode extraData, String principal, RecoveryStore.Saved saved, String clientOffset) {
        owner = principal;
        RecoveryHandshake.Restore restore = RecoveryHandshake.restorable(namespace, principal, saved, clientOffset);
        if (restore == null && askedToRecover) meters().notRecovered();
        if (restore != null) {
            id = restore.saved().sid();
            pid = restore.saved().pid();
            data = restore.saved().data();
        } else {
            fresh();
        }
        admitted = extraData;
        if (extraData != null) data().setAll(extraData);
        namespace.feed().ready().whenComplete((v, error) -> client.execute(() -> {
            if (state != State.CONNECTING) return;
            if (error != null) {
                log.warn("sio {}: the feed of {} is not available", id, namespace.stream(), error);
                connectFailed();
            } else if (restore != null) {
                recovering = new RecoveryHandshake(this, namespace, restore);
                recovering.start(inbox);
            } else {
                connectFresh();
            }
        }));
    }

    private void fresh() {
        id = Ids.random(10);
        pid = null;
        pidHigh = 0;
        pidLow = 0;
        if (recoveryEnabled()) {
            do {
                pidHigh = PID_RANDOM.nextLong();
                pidLow = PID_RANDOM.nextLong();
            } while (pidHigh == 0 && pidLow == 0);
        }
        data = null;
        if (admitted != null) data().setAll(admitted);
    }

    private void connectFresh() {
        if (register(inbox, List.of(id)) == null) {
            connectFailed();
            return;
        }
        connected(false, member.start);
        runConnectionHandlers();
        writeLive();
    }

    // ---- the recovery handshake's hooks (event loop) ----

    /** Registers this socket in the namespace's room index with {@code rooms}; null if the namespace refused. */
    RoomIndex.Member register(LoopInbox loopInbox, java.util.Collection<String> rooms) {
        RoomIndex.Member m = namespace.index().register(this, loopInbox, rooms);
        if (m != null) member = m;
        return m;
    }

    /** The private id ({@code pid}, 32 hex digits) a client recovers this socket with; null without recovery. */
    private String pid() {
        if (pid != null || (pidHigh == 0 && pidLow == 0)) return pid;
        return HexFormat.of().toHexDigits(pidHigh) + HexFormat.of().toHexDigits(pidLow);
    }

    /** Whether {@code h} is still this connecting socket's recovery; it is not any more afterwards. */
    boolean endRecovery(RecoveryHandshake h) {
        if (state != State.CONNECTING || recovering != h) return false;
        recovering = null;
        return true;
    }

    void connectFailed() {
        client.connectFailed(this, "server error", null);
    }

    void execute(Runnable task) {
        client.execute(task);
    }

    /** The saved state could not be replayed: a fresh socket, nothing of the old one kept. */
    void restartFresh(RoomIndex.Member saved) {
        meters().notRecovered();
        namespace.index().remove(saved);
        member = null;
        fresh();
        connectFresh();
    }

    /** Recovered: CONNECT, then the missed and the held publications, in order, then the handlers. */
    void restored(StreamPosition since, List<Publication> missed, List<Publication> held) {
        meters().resumed();
        connected(true, since);
        missed.forEach(this::replay);
        held.forEach(this::replay);
        runConnectionHandlers();
        writeLive();
    }

    private void connected(boolean isRecovered, StreamPosition from) {
        state = State.CONNECTED;
        recovered = isRecovered;
        start = from;
        position = from;
        namespace.added(this);
        ObjectNode reply = NODES.objectNode().put("sid", id);
        String pid = pid();
        if (pid != null) reply.put("pid", pid);
        connectedAt = System.currentTimeMillis();
        client.connected(packets(SocketIo5Packet.of(SocketIo5Packet.Type.CONNECT, namespace.name(), reply)));
        SocketObserver o = namespace.server().observer();
        if (o != null) o.connected(this);
    }

    /**
     * Event loop: with shared recovery records (cluster mode), writes this connected socket's state, so it can be
     * recovered on another node if this one dies; rewritten every half of the recovery window while connected.
     */
    private void writeLive() {
        RecoveryStore store = namespace.recovery();
        if (!store.isShared() || state != State.CONNECTED || pid() == null) return;
        store.live(new RecoveryStore.Saved(id, pid(), owner, rooms(), data(), start, System.currentTimeMillis()));
        if (liveRefresh == null) {
            long every = Math.max(1, namespace.server().config().recovery().maxDisconnectionDuration().toMillis() / 2);
            liveRefresh = client.session().executor().scheduleAtFixedRate(this::writeLive, every, every,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void runConnectionHandlers() {
        for (Consumer<Socket> h : namespace.connectionHandlers()) {
            try {
                h.accept(this);
            } catch (RuntimeException e) {
                log.error("sio {}: connection handler failed", id, e);
            }
        }
    }

    // ---- incoming packets (event loop) ----

    void onEvent(SocketIo5Packet p) {
        meters().messageIn();
        ArrayNode all = (ArrayNode) p.data();
        SocketObserver o = namespace.server().observer();
        if (o != null) o.received(this, all);
        String event = all.get(0).asText();
        ArrayNode args = NODES.arrayNode(all.size());
        for (int i = 1; i < all.size(); i++) args.add(all.get(i));
        Ack ack = p.hasAck() ? new ClientAck(this, p.ackId()) : Ack.NONE;
        EventHandler h = handler(event);
        if (h == null) return;
        try {
            h.handle(args, ack);
        } catch (RuntimeException e) {
            log.error("sio {}: handler of '{}' failed", id, event, e);
        }
    }

    void onAck(SocketIo5Packet p) {
        meters().ackIn();
        if (acks != null) acks.complete(p.ackId(), p.data() == null ? NODES.arrayNode() : (ArrayNode) p.data());
    }

    /** Answers the client's event {@code ackId}. Any thread. */
    void sendAck(long ackId, ArrayNode args) {
        client.execute(() -> {
            if (state != State.CONNECTED) return;
            meters().ackOut();
            send(packets(new SocketIo5Packet(SocketIo5Packet.Type.ACK, namespace.name(), ackId, args)));
        });
    }

    /** Event loop: DISCONNECT to the client (after what was dispatched before), then gone. */
    void serverDisconnect() {
        if (state == State.CONNECTED) send(packets(SocketIo5Packet.of(SocketIo5Packet.Type.DISCONNECT, namespace.name(), null)));
        closed("server namespace disconnect");
    }

    /** Closes the whole connection (the client will try to recover). Any thread. */
    void closeConnection() {
        client.execute(() -> client.session().close());
    }

    /** The socket is gone, for {@code reason}: unregister, keep its state if the reason allows a recovery. */
    void closed(String reason) {
        State was = state;
        if (was == State.DISCONNECTED) return;
        boolean keep = was == State.CONNECTED && recoveryEnabled() && SocketIoNames.RECOVERABLE.contains(reason);
        resumable = keep; // before the state: an emit that sees DISCONNECTED sees whether it is still worth storing
        state = State.DISCONNECTED;
        if (liveRefresh != null) liveRefresh.cancel(false);
        RoomIndex.Member m = member;
        Set<String> rooms = m == null ? Set.of() : namespace.index().remove(m);
        client.removed(this);
        if (was != State.CONNECTED) {
            if (recovering != null) recovering.interrupted(); // the client may try again
            recovering = null;
            return;
        }
        namespace.removed(this);
        if (acks != null) acks.failAll();
        if (keep) {
            namespace.recovery().save(new RecoveryStore.Saved(id, pid(), owner, rooms, data(), start, System.currentTimeMillis()));
        } else if (pid() != null && namespace.recovery().isShared()) {
            namespace.recovery().take(pid(), 0); // its live state: not to be recovered after this disconnection
        }
        SocketObserver o = namespace.server().observer();
        if (o != null) o.disconnected(this, reason, rooms);
        for (Consumer<String> h : disconnectHandlers) {
            try {
                h.accept(reason);
            } catch (RuntimeException e) {
                log.error("sio {}: disconnect handler failed", id, e);
            }
        }
    }

    // ---- from the namespace's feed (event loop, through the LoopInbox) ----

    /** A publication the index found aimed at registration {@code m}, in offset order, as {@code wire}. */
    void deliver(RoomIndex.Member m, Publication p, Outgoing wire, boolean isVolatile) {
        if (m != member) return;
        if (state == State.CONNECTED) {
            deliverNow(p, false, wire, isVolatile);
        } else if (state == State.CONNECTING && recovering != null && !recovering.hold(p)) {
            log.warn("sio {}: too many events held while recovering; closing", id);
            meters().slowConsumerCutOff();
            client.session().close();
        }
    }

    private void replay(Publication p) {
        deliverNow(p, true, p.encoded(namespace.wire), p.encoded(namespace.target).isVolatile());
    }

    /** Sends a publication unless already sent; volatile ones only live and only if the client can take them now. */
    private void deliverNow(Publication p, boolean wasHeld, Outgoing wire, boolean isVolatile) {
        if (position != null && position.epoch().equals(p.epoch()) && p.offset() <= position.offset()) return;
        position = p.position();
        if (isVolatile && (wasHeld || !client.session().writable())) return;
        client.send(wire);
        if (wasHeld) meters().replayed(); else meters().delivered(p);
        SocketObserver o = namespace.server().observer();
        if (o != null && p.data().get("d") instanceof ArrayNode d) o.sent(this, d);
    }

    /** Event loop: a packet of this socket's own, after the publications dispatched before it. */
    private void send(List<EngineIo4Packet> packets) {
        inbox.drain();
        client.send(packets);
    }

    /** Event loop: an event packet of this socket's own, counted as a message out. */
    private void sendCounted(List<EngineIo4Packet> packets) {
        meters().messageOut();
        send(packets);
    }

    private WireMeters meters() {
        return namespace.server().meters();
    }

    private SocketIo5Packet event(long ackId, ArrayNode a) {
        return new SocketIo5Packet(SocketIo5Packet.Type.EVENT, namespace.name(), ackId, a);
    }

    private boolean recoveryEnabled() {
        return namespace.server().config().recovery().enabled();
    }

    private static void checkEvent(String event) {
        if (event == null || SocketIoNames.RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
    }

    static List<EngineIo4Packet> packets(SocketIo5Packet p) {
        return Namespace.wireOf(SocketIo5Codec.encode(p));
    }

    @Override
    public String toString() {
        return "Socket[" + namespace.name() + " " + id + "]";
    }
}
