package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Ids;
import io.agentwire.core.Publication;
import io.agentwire.core.Resume;
import io.agentwire.core.StreamPosition;
import io.agentwire.core.Subscriber;
import io.agentwire.core.Subscription;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import io.agentwire.protocol.socketio.SocketIo5Codec;
import io.agentwire.protocol.socketio.SocketIo5Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client in one namespace, shaped like socket.io's server-side socket: {@link #on} events, {@link #emit} (with
 * or without an acknowledgement), rooms, per-socket {@link #data()}, {@link #disconnect()}.
 *
 * <p>Its state is confined to its connection's event loop; the public methods may be called from any thread and
 * hop onto it, except those marked "event loop only" (handlers run there, so they may use them freely). Its
 * subscription to the namespace's core stream delivers the broadcasts aimed at it, in offset order, and tracks the
 * position it has reached; connection state recovery resumes that subscription.
 */
public final class Socket {
    private static final Logger log = LoggerFactory.getLogger(Socket.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum State { CONNECTING, CONNECTED, DISCONNECTED }

    private final SocketIoClient client;
    private final Namespace namespace;
    private final ConnectRequest handshake;
    private final Map<String, EventHandler> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<String>> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final Map<Long, CompletableFuture<ArrayNode>> acks = new HashMap<>();
    private final Set<String> rooms = new LinkedHashSet<>();
    private final List<Runnable> beforeConnect = new ArrayList<>();
    private volatile String id;
    private volatile boolean recovered;
    private volatile State state = State.CONNECTING;
    private String pid;
    private ObjectNode data = NODES.objectNode();
    private long nextAckId;
    private Feed feed;
    private StreamPosition position;
    private StreamPosition start;

    Socket(SocketIoClient client, Namespace namespace, ConnectRequest handshake) {
        this.client = client;
        this.namespace = namespace;
        this.handshake = handshake;
    }

    /** The socket id (a room holding this socket only). Stable once connected, and kept by a recovery. */
    public String id() { return id; }

    public Namespace namespace() { return namespace; }

    /** The CONNECT request: auth payload, handshake request, principal. */
    public ConnectRequest handshake() { return handshake; }

    /** Whether this socket took over the state of an earlier one (connection state recovery). */
    public boolean recovered() { return recovered; }

    public boolean connected() { return state == State.CONNECTED; }

    /** Arbitrary per-socket data, kept by a recovery. Event loop only. */
    public ObjectNode data() { return data; }

    /** The rooms this socket is in (always including its id). Event loop only. */
    public Set<String> rooms() { return Set.copyOf(rooms); }

    /** {@code polling} or {@code websocket}. Event loop only. */
    public String transport() { return client.session().transportName(); }

    /** Handles the event {@code event}; a later handler for the same event replaces the earlier one. */
    public Socket on(String event, EventHandler handler) {
        handlers.put(event, handler);
        return this;
    }

    /** Called once with the reason (socket.io's reasons, e.g. {@code client namespace disconnect}). */
    public Socket onDisconnect(Consumer<String> handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    public void join(String... names) { client.execute(() -> { if (state != State.DISCONNECTED) rooms.addAll(List.of(names)); }); }

    public void leave(String room) { client.execute(() -> rooms.remove(room)); }

    /** A broadcast to the sockets in {@code rooms}, except this one. */
    public Broadcast to(String... targets) { return namespace.all().except(id).to(targets); }

    /** A broadcast to every socket of the namespace except this one. */
    public Broadcast broadcast() { return namespace.all().except(id); }

    /** Sends an event to this client only. Any thread. */
    public void emit(String event, Object... args) { emit(event, false, args); }

    /** Sends an event that is dropped if the client can not take it right now. Any thread. */
    public void volatileEmit(String event, Object... args) { emit(event, true, args); }

    private void emit(String event, boolean isVolatile, Object... args) {
        checkEvent(event);
        ArrayNode a = Args.array(event, args);
        client.execute(() -> {
            if (state != State.CONNECTED) return;
            if (isVolatile && !client.session().writable()) return;
            // the client takes the last string argument as its offset: give it the position it has reached
            if (!isVolatile && recoveryEnabled()) a.add(RecoveryStore.offset(position));
            client.send(packets(SocketIo5Packet.of(SocketIo5Packet.Type.EVENT, namespace.name(), a)));
        });
    }

    /** Sends an event and completes with the client's acknowledgement arguments, or a TimeoutException. Any thread. */
    public CompletableFuture<ArrayNode> emitWithAck(Duration timeout, String event, Object... args) {
        checkEvent(event);
        ArrayNode a = Args.array(event, args);
        CompletableFuture<ArrayNode> result = new CompletableFuture<>();
        client.execute(() -> {
            if (state != State.CONNECTED) {
                result.completeExceptionally(new IllegalStateException("socket is not connected"));
                return;
            }
            long ackId = nextAckId++;
            acks.put(ackId, result);
            ScheduledFuture<?> timer = client.session().executor().schedule(() -> {
                if (acks.remove(ackId) != null) result.completeExceptionally(new TimeoutException("operation has timed out"));
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> timer.cancel(false));
            client.send(packets(new SocketIo5Packet(SocketIo5Packet.Type.EVENT, namespace.name(), ackId, a)));
        });
        return result;
    }

    /** Leaves the namespace (the connection stays for other namespaces). Any thread. */
    public void disconnect() {
        disconnect(false);
    }

    /** Leaves the namespace; with {@code close}, closes the whole connection. Any thread. */
    public void disconnect(boolean close) {
        client.execute(() -> {
            if (close) {
                client.disconnectAll();
            } else if (state == State.CONNECTED) {
                client.send(packets(SocketIo5Packet.of(SocketIo5Packet.Type.DISCONNECT, namespace.name(), null)));
                closed("server namespace disconnect");
            }
        });
    }

    // ---- connecting (event loop) ----

    /** The middleware accepted: restore or start the socket's state and subscribe to the namespace's stream. */
    void accepted(ObjectNode extraData, RecoveryStore.Saved saved, String clientOffset) {
        StreamPosition since = null;
        if (saved != null) {
            since = clientOffset != null ? RecoveryStore.parse(clientOffset) : saved.start();
            if (since == null) saved = null;
        }
        if (saved != null) {
            id = saved.sid();
            pid = saved.pid();
            rooms.addAll(saved.rooms());
            data = saved.data();
        } else {
            fresh();
        }
        if (extraData != null) data.setAll(extraData);
        subscribe(since);
    }

    private void fresh() {
        id = Ids.random(10);
        pid = recoveryEnabled() ? Ids.random(16) : null;
        rooms.clear();
        rooms.add(id);
        data = NODES.objectNode();
    }

    private void subscribe(StreamPosition since) {
        Feed f = new Feed();
        feed = f;
        namespace.server().node().subscribe(namespace.stream(), f, since).whenComplete((resume, error) -> client.execute(() -> {
            if (feed != f || state != State.CONNECTING) {
                if (resume != null) resume.subscription().close();
                return;
            }
            if (error != null) {
                log.warn("sio {}: subscribing to {} failed", id, namespace.stream(), error);
                feed = null;
                client.connectFailed(this, "server error", null);
                return;
            }
            if (since != null && !resume.recovered()) {
                resume.subscription().close(); // a fresh socket: nothing of the old one is kept
                beforeConnect.clear();
                fresh();
                subscribe(null);
                return;
            }
            f.subscription = resume.subscription();
            connected(resume, since);
        }));
    }

    private void connected(Resume resume, StreamPosition since) {
        state = State.CONNECTED;
        recovered = since != null;
        start = recovered ? since : resume.top();
        position = start;
        namespace.added(this);
        ObjectNode reply = NODES.objectNode().put("sid", id);
        if (pid != null) reply.put("pid", pid);
        client.send(packets(SocketIo5Packet.of(SocketIo5Packet.Type.CONNECT, namespace.name(), reply)));
        List<Runnable> missed = new ArrayList<>(beforeConnect);
        beforeConnect.clear();
        missed.forEach(Runnable::run);
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
        ArrayNode all = (ArrayNode) p.data();
        String event = all.get(0).asText();
        ArrayNode args = NODES.arrayNode(all.size());
        for (int i = 1; i < all.size(); i++) args.add(all.get(i));
        Ack ack = p.hasAck() ? new ClientAck(p.ackId()) : Ack.NONE;
        EventHandler h = handlers.get(event);
        if (h == null) return;
        try {
            h.handle(args, ack);
        } catch (RuntimeException e) {
            log.error("sio {}: handler of '{}' failed", id, event, e);
        }
    }

    void onAck(SocketIo5Packet p) {
        CompletableFuture<ArrayNode> f = acks.remove(p.ackId());
        if (f != null) f.complete(p.data() == null ? NODES.arrayNode() : (ArrayNode) p.data());
    }

    /** The socket is gone, for {@code reason}: unsubscribe, keep its state if the reason allows a recovery. */
    void closed(String reason) {
        State was = state;
        if (was == State.DISCONNECTED) return;
        state = State.DISCONNECTED;
        if (feed != null && feed.subscription != null) feed.subscription.close();
        feed = null;
        beforeConnect.clear();
        client.removed(this);
        if (was != State.CONNECTED) return;
        namespace.removed(this);
        acks.values().forEach(f -> f.completeExceptionally(new IllegalStateException("socket has been disconnected")));
        acks.clear();
        if (recoveryEnabled() && SocketIoNames.RECOVERABLE.contains(reason)) {
            namespace.recovery().save(new RecoveryStore.Saved(id, pid, Set.copyOf(rooms), data, position,
                    System.currentTimeMillis()));
        }
        for (Consumer<String> h : disconnectHandlers) {
            try {
                h.accept(reason);
            } catch (RuntimeException e) {
                log.error("sio {}: disconnect handler failed", id, e);
            }
        }
    }

    // ---- the namespace's stream (subscriber threads → event loop) ----

    private void deliver(Feed f, Publication p, Namespace.Target target, List<EngineIo4Packet> wire, boolean queued) {
        if (feed != f) return;
        if (state == State.CONNECTING) {
            beforeConnect.add(() -> deliver(f, p, target, wire, true));
            return;
        }
        if (state != State.CONNECTED) return;
        if (position != null && position.epoch().equals(p.epoch()) && p.offset() <= position.offset()) return;
        position = p.position();
        if (!target.matches(rooms)) return;
        // volatile broadcasts are not replayed (nor held while the socket connects), as socket.io does not store them
        if (target.isVolatile() && (queued || !client.session().writable())) return;
        client.send(wire);
    }

    /** This socket's subscription to the namespace's stream: encodes once per publication, then hops. */
    private final class Feed implements Subscriber {
        volatile Subscription subscription;

        @Override
        public void onPublication(Publication p) {
            Namespace.Target t = p.encoded(namespace.target);
            List<EngineIo4Packet> wire = p.encoded(namespace.wire);
            client.execute(() -> deliver(this, p, t, wire, false));
        }

        @Override
        public void onTerminated(ErrorCode reason) {
            log.warn("sio {}: stream {} ended ({}); closing the connection so the client resumes", id, namespace.stream(), reason);
            client.execute(() -> { if (feed == this) client.session().close(); });
        }
    }

    private final class ClientAck implements Ack {
        private final long ackId;
        private boolean sent;

        ClientAck(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public void send(Object... args) {
            ArrayNode a = Args.array(null, args);
            client.execute(() -> {
                if (sent || state != State.CONNECTED) return;
                sent = true;
                client.send(packets(new SocketIo5Packet(SocketIo5Packet.Type.ACK, namespace.name(), ackId, a)));
            });
        }

        @Override
        public boolean requested() {
            return true;
        }
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
