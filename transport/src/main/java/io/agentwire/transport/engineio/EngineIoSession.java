package io.agentwire.transport.engineio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.agentwire.protocol.engineio.EngineIo4Codec;
import io.agentwire.protocol.engineio.EngineIo4Packet;
import io.agentwire.protocol.engineio.EngineIo4ParseException;
import io.agentwire.transport.HttpExchange;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.WsConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session: the state machine of its transports (long-polling, WebSocket, the upgrade from one to
 * the other), its heartbeat and its outgoing buffer. All state is confined to one event loop ({@link #executor()});
 * the public methods may be called from any thread and hop onto it, so nothing ever blocks and nothing is locked.
 *
 * <p>Close reasons, as the reference server names them: {@code transport close} (the client closed),
 * {@code transport error} (a dropped poll, overlapping polls, a client ping, a too large payload, a full buffer),
 * {@code parse error}, {@code ping timeout}, {@code forced close} (the server closed it), {@code server shutting
 * down}.
 */
public final class EngineIoSession {
    private static final Logger log = LoggerFactory.getLogger(EngineIoSession.class);

    /** What the layer above (Socket.IO) does with a session's messages. Called on the session's event loop. */
    public interface Listener {
        void onMessage(String text);

        void onBinary(byte[] data);

        /** Once, when the session ends. */
        void onClose(String reason);

        /** The session moved from long-polling to its WebSocket. */
        default void onUpgrade() { }
    }

    private enum State { OPEN, CLOSING, CLOSED }

    /**
     * How long what follows {@link #sendSeparately} waits after it over a WebSocket: long enough that a client reading
     * one message per socket read gets them in two reads, short enough not to matter.
     */
    static final long SEPARATION_MICROS = 10_000;
    /**
     * How long a poll held during an upgrade waits before its noop, as the reference server's 100 ms upgrade check:
     * a {@code 5} read by then (it may come over the WebSocket just after the probe, while the poll came over another
     * connection) completes the upgrade first, and the poll is refused as any request after it, once the
     * {@code 3probe} had time to reach the client (a client reading one connection after the other sees them in the
     * order they were sent).
     */
    static final long UPGRADE_NOOP_MILLIS = 100;
    private static final AtomicIntegerFieldUpdater<EngineIoSession> PENDING =
            AtomicIntegerFieldUpdater.newUpdater(EngineIoSession.class, "pendingFlag");
    private static final AtomicReferenceFieldUpdater<EngineIoSession, HttpExchange> POST =
            AtomicReferenceFieldUpdater.newUpdater(EngineIoSession.class, HttpExchange.class, "post");

    private static final Listener NO_LISTENER = new Listener() {
        @Override public void onMessage(String text) { }
        @Override public void onBinary(byte[] data) { }
        @Override public void onClose(String reason) { }
    };

    private final String id;
    private final EngineIoServer server;
    private final ScheduledExecutorService loop;
    private final Authenticator.Request request;
    private final Principal principal;
    private Listener listener = NO_LISTENER;
    private volatile State state = State.OPEN;
    /** 1 while the session waits for the layer above to accept it ({@link EngineIoServer}'s pending sessions). */
    private volatile int pendingFlag;
    /** The connection of the POST being read (from its head to its last byte), for the overlap check. */
    private volatile HttpExchange post;
    /** What the last poll of a closing session gets after what was left: close (server) or noop (client). */
    private EngineIo4Packet lastPacket = EngineIo4Packet.CLOSE;
    /** Over a WebSocket: packets wait in {@link #buffer} until {@link #releaseHeld()} (see sendSeparately). */
    private boolean holding;
    private WsConnection ws;
    private ArrayDeque<EngineIo4Packet> buffer; // created by the first packet buffered: a WebSocket session rarely buffers
    /** What only a session that started on long-polling uses (null for one that opened on a WebSocket). */
    private final Polling polling;
    /** Closed because the client did not take what was sent (a WebSocket queue overflow, a full poll buffer). */
    private volatile boolean slowConsumer;
    /** Where the next ping is armed ({@link PingWheel}: no timer per session); null when none is. Event loop. */
    PingWheel.Bucket pingBucket;
    int pingSlot;
    private boolean heartbeatStarted;
    private ScheduledFuture<?> pongTimer;
    private long pongDeadline;

    /**
     * The state of a session that started on long-polling: its held poll and the upgrade to a WebSocket. A session
     * opened on a WebSocket (most clients) has none: 24 bytes less per connection. Event loop.
     */
    private static final class Polling {
        CompletableFuture<HttpReply> pendingGet;
        Map<String, String> pendingGetHeaders;
        WsConnection probe;
        boolean probed;
        ScheduledFuture<?> upgradeTimer;
        List<WsConnection> rivals = List.of(); // a second WebSocket racing to be the upgrade probe: rare
    }

    EngineIoSession(String id, EngineIoServer server, ScheduledExecutorService loop, Authenticator.Request request,
                    Principal principal, WsConnection ws) {
        this.id = id;
        this.server = server;
        this.loop = loop;
        this.request = request;
        this.principal = principal;
        this.ws = ws;
        this.polling = ws == null ? new Polling() : null; // invariant: ws != null || polling != null
    }

    /** The session id ({@code sid}). */
    public String id() { return id; }

    /** The handshake request (headers in lower case, query parameters, remote address). */
    public Authenticator.Request request() { return request; }

    /** Who the server's authenticator accepted at the handshake. */
    public Principal principal() { return principal; }

    /** The session's event loop: listener callbacks run on it. */
    public ScheduledExecutorService executor() { return loop; }

    /** Sets the listener (on the event loop, before any message can arrive: in the server's open callback). */
    public void listener(Listener l) { listener = l == null ? NO_LISTENER : l; }

    /** {@code polling} or {@code websocket} (the current transport). Event loop only. */
    public String transportName() { return ws != null ? EngineIoConfig.WEBSOCKET : EngineIoConfig.POLLING; }

    /**
     * Packets waiting to go out: those buffered for the next poll (or held during an upgrade) plus the WebSocket's
     * send queue. Safe from any thread as a momentary, possibly stale figure (the console's queue depth).
     */
    public int queued() {
        WsConnection w = ws;
        ArrayDeque<EngineIo4Packet> b = buffer;
        return (b != null ? Math.max(0, b.size()) : 0) + (w != null ? w.queuedMessages() : 0);
    }

    /** Whether a packet sent now would go out at once (a WebSocket, or a poll waiting). Event loop only. */
    public boolean writable() { return state == State.OPEN && (ws != null ? ws.isOpen() : polling.pendingGet != null); }

    /** Whether the session is open. Event loop only. */
    public boolean isOpen() { return state == State.OPEN; }

    /** Whether the session was closed because the client did not read what was sent to it (a slow consumer). */
    public boolean cutOffAsSlowConsumer() { return slowConsumer; }

    /** Sends a text message. Any thread. */
    public void send(String text) { execute(() -> enqueue(EngineIo4Packet.message(text))); }

    /** Sends a binary message (the array is not copied). Any thread. */
    public void sendBinary(byte[] data) { execute(() -> enqueue(EngineIo4Packet.binary(data))); }

    /** Sends several messages in order, as one batch. Any thread. */
    public void sendAll(List<EngineIo4Packet> packets) { execute(() -> packets.forEach(this::enqueue)); }

    /** Sends packets whose WebSocket frames were encoded once for many sessions. Any thread. */
    public void send(Outgoing out) {
        if (inLoop()) enqueue(out); else execute(() -> enqueue(out));
    }

    /**
     * Sends {@code packets}; over a WebSocket they go out in a write of their own and whatever is sent after them
     * follows {@link #SEPARATION_MICROS} later, as the reference server's write-then-drain does (the Socket.IO CONNECT
     * reply, which clients read as one message before they listen for the next). Any thread.
     */
    public void sendSeparately(List<EngineIo4Packet> packets) {
        execute(() -> {
            packets.forEach(this::enqueue);
            if (ws != null && state == State.OPEN && !holding) {
                holding = true;
                loop.schedule(this::releaseHeld, SEPARATION_MICROS, TimeUnit.MICROSECONDS);
            }
        });
    }

    /**
     * The layer above accepted this session (Socket.IO: its first namespace joined): it no longer counts as pending.
     * Any thread.
     */
    public void established() {
        leavePending();
    }

    void pending() {
        pendingFlag = 1;
    }

    boolean isPending() {
        return pendingFlag == 1;
    }

    boolean isClosing() {
        return state == State.CLOSING;
    }

    private void leavePending() {
        if (PENDING.compareAndSet(this, 1, 0)) server.leftPending(request.remoteAddress());
    }

    /** The sweep or the pending limit: a session still pending is closed at once, nothing kept for a later poll. */
    void expirePending() {
        execute(() -> {
            if (state != State.OPEN || !isPending()) return;
            log.debug("eio {}: not established in time; closing", id);
            closeNow("forced close", false);
        });
    }

    /** The sweep: a closing session nobody polled is dropped. */
    void finishClosing() {
        execute(() -> {
            if (state == State.CLOSING) finishClose();
        });
    }

    /**
     * The head of a POST arrived on {@code connection}: false if another POST of this session is still being read on
     * another open connection (the caller refuses this one and closes the session). Any thread.
     */
    boolean beginPost(HttpExchange connection) {
        while (true) {
            HttpExchange current = post;
            if (current != null && current.isOpen() && current.connection() != connection.connection()) return false;
            if (POST.compareAndSet(this, current, connection)) return true;
        }
    }

    /** A POST on {@code connection} arrived whole. Any thread. */
    void endPost(HttpExchange connection) {
        HttpExchange current = post;
        if (current != null && current.connection() == connection.connection()) POST.compareAndSet(this, current, null);
    }

    /** Closes the session ("forced close"): what is queued is delivered first where the transport allows. Any thread. */
    public void close() { execute(() -> closeNow("forced close")); }

    void close(String reason) { execute(() -> closeNow(reason)); }

    /** Runs {@code task} on the session's event loop (now if already there). */
    public void execute(Runnable task) {
        if (inLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("eio {}: event loop gone, task dropped", id);
        }
    }

    private boolean inLoop() {
        return loop instanceof io.netty.util.concurrent.EventExecutor ee && ee.inEventLoop();
    }

    // ---- opening ----

    /** Event loop: the handshake was answered; start the heartbeat. */
    void opened() {
        schedulePing();
    }

    String openPacket() {
        EngineIoConfig config = server.config();
        String upgrades = ws == null && config.allows(EngineIoConfig.WEBSOCKET) ? "[\"websocket\"]" : "[]";
        return EngineIo4Codec.encodePacket(EngineIo4Packet.of(EngineIo4Packet.Type.OPEN, "{\"sid\":\"" + id
                + "\",\"upgrades\":" + upgrades + ",\"pingInterval\":" + config.pingInterval().toMillis()
                + ",\"pingTimeout\":" + config.pingTimeout().toMillis() + ",\"maxPayload\":" + config.maxPayload() + "}"));
    }

    // ---- outgoing ----

    private void enqueue(EngineIo4Packet p) {
        if (state != State.OPEN) return;
        if (ws != null && !holding) {
            if (p.isBinary()) ws.sendBinary(p.binary()); else ws.send(EngineIo4Codec.encodePacket(p));
            return;
        }
        if (buffer == null) buffer = new ArrayDeque<>();
        if (buffer.size() >= server.config().maxBufferedPackets()) {
            log.warn("eio {}: {} packets buffered for a client that does not poll; closing", id, buffer.size());
            slowConsumer = true;
            closeNow("transport error");
            return;
        }
        buffer.add(p);
        flushPoll();
    }

    private void enqueue(Outgoing out) {
        if (state != State.OPEN) return;
        if (ws == null || holding) {
            out.packets().forEach(this::enqueue);
            return;
        }
        for (int i = 0; i < out.size(); i++) ws.send(out.frame(i));
    }

    private void flushPoll() {
        if (polling != null && polling.pendingGet != null && buffered()) answerPoll(drain(List.of()));
    }

    private void releaseHeld() {
        holding = false;
        if (state != State.OPEN || ws == null) return;
        drain(List.of()).forEach(this::enqueue);
    }

    private List<EngineIo4Packet> drain(List<EngineIo4Packet> tail) {
        List<EngineIo4Packet> out = buffer == null ? new ArrayList<>(tail.size()) : new ArrayList<>(buffer);
        clearBuffer();
        out.addAll(tail);
        return out;
    }

    private void answerPoll(List<EngineIo4Packet> packets) {
        CompletableFuture<HttpReply> get = polling.pendingGet;
        Map<String, String> headers = polling.pendingGetHeaders;
        polling.pendingGet = null;
        polling.pendingGetHeaders = null;
        get.complete(payloadReply(packets, headers));
    }

    private static HttpReply payloadReply(List<EngineIo4Packet> packets, Map<String, String> headers) {
        return new HttpReply(200, "text/plain; charset=UTF-8",
                EngineIo4Codec.encodePayload(packets).getBytes(StandardCharsets.UTF_8), headers);
    }

    // ---- long-polling ----

    /** Event loop: a GET. Answered at once when packets wait, else held until some do. */
    CompletableFuture<HttpReply> onPoll(HttpRequestData req, HttpExchange exchange, Map<String, String> headers) {
        Map<String, String> h = new HashMap<>(headers);
        h.put("cache-control", "no-store");
        if (heartbeatOverdue()) closeNow("ping timeout");
        if (state == State.CLOSING) {
            List<EngineIo4Packet> last = drain(List.of(lastPacket));
            finishClose();
            return CompletableFuture.completedFuture(payloadReply(last, h));
        }
        if (state == State.CLOSED || ws != null) return CompletableFuture.completedFuture(EngineIoErrors.reply(EngineIoErrors.BAD_REQUEST, headers));
        if (polling.pendingGet != null) {
            log.debug("eio {}: overlapping polls", id);
            closeNow("transport error");
            return CompletableFuture.completedFuture(EngineIoErrors.reply(EngineIoErrors.BAD_REQUEST, headers));
        }
        if (buffered()) return CompletableFuture.completedFuture(payloadReply(drain(List.of()), h));
        CompletableFuture<HttpReply> get = new CompletableFuture<>();
        polling.pendingGet = get;
        polling.pendingGetHeaders = h;
        if (polling.probed) releasePollForUpgrade();
        exchange.onClosed(() -> execute(() -> {
            if (polling.pendingGet != get) return;
            polling.pendingGet = null;
            if (polling.probe == null && ws == null) {
                log.debug("eio {}: poll connection closed prematurely", id);
                closeNow("transport error");
            }
        }));
        return get;
    }

    /** Event loop: a POST with a payload. */
    HttpReply onData(HttpRequestData req, Map<String, String> headers) {
        if (heartbeatOverdue()) closeNow("ping timeout");
        if (state != State.OPEN || ws != null) return EngineIoErrors.reply(EngineIoErrors.BAD_REQUEST, headers);
        if (req.body().length > server.config().maxPayload()) {
            closeNow("transport error");
            return new HttpReply(413, "application/json",
                    "{\"code\":3,\"message\":\"Payload too large\"}".getBytes(StandardCharsets.UTF_8), headers);
        }
        List<EngineIo4Packet> packets;
        try {
            packets = EngineIo4Codec.decodePayload(req.bodyText());
        } catch (EngineIo4ParseException e) {
            log.debug("eio {}: {}", id, e.getMessage());
            closeNow("parse error");
            packets = List.of();
        }
        for (EngineIo4Packet p : packets) {
            if (state != State.OPEN) break;
            onPacket(p);
        }
        Map<String, String> h = new HashMap<>(headers);
        h.put("cache-control", "no-store");
        return new HttpReply(200, "text/html", "ok".getBytes(StandardCharsets.US_ASCII), h);
    }

    // ---- WebSocket and the upgrade ----

    /** Event loop: a WebSocket arrived for this polling session: it becomes the upgrade probe. */
    void onProbeOpen(WsConnection conn) {
        if (state == State.OPEN && ws == null && polling.probe != null && !polling.probed) {
            // two WebSockets for one session, their openings hopping here in either order: the one that sends 2probe
            // first is the probe, the other is closed then
            if (polling.rivals.isEmpty()) polling.rivals = new ArrayList<>(2);
            polling.rivals.add(conn);
            return;
        }
        if (state != State.OPEN || ws != null || polling.probe != null) {
            conn.close(DisconnectReason.NORMAL);
            return;
        }
        polling.probe = conn;
        polling.upgradeTimer = loop.schedule(() -> {
            if (polling.probe != null) { // conn, or a rival that took its place
                log.debug("eio {}: upgrade timed out", id);
                dropProbe();
            }
        }, server.config().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Event loop: a text frame from a WebSocket of this session. */
    void onWsText(WsConnection conn, String text) {
        if (text.length() > server.config().maxPayload()) {
            if (conn == ws) closeNow("transport error"); else if (isProbe(conn)) dropProbe();
            return;
        }
        EngineIo4Packet p;
        try {
            p = EngineIo4Codec.decodePacket(text);
        } catch (EngineIo4ParseException e) {
            log.debug("eio {}: {}", id, e.getMessage());
            if (conn == ws) closeNow("parse error"); else if (isProbe(conn)) dropProbe();
            return;
        }
        if (conn == ws) {
            onPacket(p);
        } else if (polling != null && polling.rivals.contains(conn) && !polling.probed
                && p.type() == EngineIo4Packet.Type.PING && "probe".equals(p.text())) {
            polling.rivals.remove(conn);
            polling.rivals.add(polling.probe);
            polling.probe = conn;
            onProbePacket(p);
        } else if (isProbe(conn)) {
            onProbePacket(p);
        } else if (removeRival(conn)) {
            conn.close(DisconnectReason.NORMAL);
        }
    }

    /** Event loop: a binary frame from a WebSocket of this session. */
    void onWsBinary(WsConnection conn, byte[] data) {
        if (conn != ws) {
            if (isProbe(conn)) dropProbe();
            return;
        }
        if (data.length > server.config().maxPayload()) {
            closeNow("transport error");
            return;
        }
        onPacket(EngineIo4Codec.decodeBinaryFrame(data));
    }

    /** Event loop: a WebSocket of this session closed, with {@code code}. */
    void onWsClose(WsConnection conn, int code) {
        removeRival(conn);
        if (conn == ws && state == State.OPEN && code == DisconnectReason.SLOW_CONSUMER.closeCode()) slowConsumer = true;
        if (isProbe(conn)) {
            polling.probe = null;
            polling.probed = false;
            cancel(polling.upgradeTimer);
        } else if (conn == ws && state == State.OPEN) {
            closeNow("transport close");
        }
    }

    private void onProbePacket(EngineIo4Packet p) {
        if (p.type() == EngineIo4Packet.Type.PING && "probe".equals(p.text()) && !polling.probed) {
            polling.probed = true;
            polling.probe.send("3probe");
            closeRivals();
            if (polling.pendingGet != null) releasePollForUpgrade();
        } else if (p.type() == EngineIo4Packet.Type.UPGRADE && polling.probed && state == State.OPEN) {
            cancel(polling.upgradeTimer);
            WsConnection next = polling.probe;
            polling.probe = null;
            polling.probed = false;
            // a poll still held was sent without waiting for the upgrade: the upgrade check refuses it (400) after
            // the 3probe went out, as a request after the upgrade
            List<EngineIo4Packet> waiting = drain(List.of());
            ws = next;
            log.debug("eio {}: upgraded to websocket", id);
            // what waited for the poll goes first: the listener may send (an Admin UI hears of this very upgrade)
            waiting.forEach(this::enqueue);
            listener.onUpgrade();
        } else {
            dropProbe();
        }
    }

    /**
     * The upgrade check of a poll held while the upgrade is probed: a noop if the upgrade is still under way, 400 if
     * it completed meanwhile (the poll was sent without waiting for it), nothing if the probe was dropped (it goes on
     * as an ordinary poll).
     */
    private void releasePollForUpgrade() {
        CompletableFuture<HttpReply> get = polling.pendingGet;
        loop.schedule(() -> {
            if (polling.pendingGet != get || state != State.OPEN) return;
            if (ws != null) refusePoll(); else if (polling.probed) answerPoll(drain(List.of(EngineIo4Packet.NOOP)));
        }, UPGRADE_NOOP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void refusePoll() {
        CompletableFuture<HttpReply> get = polling.pendingGet;
        Map<String, String> headers = polling.pendingGetHeaders;
        polling.pendingGet = null;
        polling.pendingGetHeaders = null;
        get.complete(EngineIoErrors.reply(EngineIoErrors.BAD_REQUEST, headers));
    }

    /** Closed after the 3probe went out (same event loop as the probe, later task). */
    private void closeRivals() {
        if (polling.rivals.isEmpty()) return;
        List<WsConnection> closing = List.copyOf(polling.rivals);
        polling.rivals = List.of();
        polling.probe.executor().execute(() -> closing.forEach(c -> c.close(DisconnectReason.NORMAL)));
    }

    private void dropProbe() {
        if (polling == null) return;
        List<WsConnection> closing = polling.rivals;
        polling.rivals = List.of();
        closing.forEach(c -> c.close(DisconnectReason.NORMAL));
        WsConnection p = polling.probe;
        polling.probe = null;
        polling.probed = false;
        cancel(polling.upgradeTimer);
        if (p != null) p.close(DisconnectReason.NORMAL);
    }

    // ---- incoming packets on the active transport ----

    private void onPacket(EngineIo4Packet p) {
        if (state != State.OPEN) return;
        switch (p.type()) {
            case PONG -> {
                cancel(pongTimer);
                pongTimer = null;
                schedulePing();
            }
            case PING -> {
                log.debug("eio {}: invalid heartbeat direction", id);
                closeNow("transport error");
            }
            case MESSAGE -> {
                if (p.isBinary()) listener.onBinary(p.binary()); else listener.onMessage(p.text());
            }
            case CLOSE -> closeNow("transport close");
            default -> { } // open, upgrade and noop mean nothing here
        }
    }

    // ---- heartbeat ----

    private void schedulePing() {
        long now = server.clock.getAsLong();
        long pingAt = now + server.config().pingInterval().toNanos();
        pongDeadline = pingAt + server.config().pingTimeout().toNanos();
        heartbeatStarted = true;
        server.pingWheel(loop).arm(this, pingAt, now);
    }

    /** Event loop, from the {@link PingWheel}: the ping is due. */
    void pingDue() {
        if (state != State.OPEN) return;
        enqueue(EngineIo4Packet.PING);
        cancel(pongTimer);
        // the pong is due pingTimeout after the ping was due, not after a busy loop sent it
        pongTimer = loop.schedule(() -> closeNow("ping timeout"),
                Math.max(0, pongDeadline - server.clock.getAsLong()), TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the pong deadline (pingInterval + pingTimeout after the last pong or the handshake) has passed, though
     * a late timer has not closed the session yet: a request then finds the session closed, as it would on time.
     */
    private boolean heartbeatOverdue() {
        return state == State.OPEN && heartbeatStarted && server.clock.getAsLong() - pongDeadline >= 0;
    }

    // ---- closing ----

    private void closeNow(String reason) {
        closeNow(reason, true);
    }

    /**
     * @param linger whether a long-polling client without a poll waiting may still collect the end: the close packet
     *     (server closes) or a noop for a poll it sent with its own close packet (arrival order over two connections)
     */
    private void closeNow(String reason, boolean linger) {
        if (state != State.OPEN) return;
        leavePending();
        log.debug("eio {} closing: {}", id, reason);
        PingWheel.disarm(this);
        cancel(pongTimer);
        dropProbe();
        boolean byServer = reason.equals("forced close") || reason.equals("server shutting down");
        if (ws != null) {
            if (holding) {
                holding = false;
                drain(List.of()).forEach(this::enqueue);
            }
            state = State.CLOSED;
            WsConnection conn = ws;
            // the frames queued so far are drained first (same event loop, earlier task), then the close frame
            DisconnectReason code = closeCode(reason);
            conn.executor().execute(() -> conn.close(code));
            server.remove(this);
        } else if (polling.pendingGet != null) {
            state = State.CLOSED;
            answerPoll(drain(List.of(reason.equals("transport close") ? EngineIo4Packet.NOOP : EngineIo4Packet.CLOSE)));
            server.remove(this);
        } else if (linger && byServer) {
            state = State.CLOSING; // the next poll collects what is left and the close packet
            lastPacket = EngineIo4Packet.CLOSE;
            server.closing(this, true);
        } else if (linger && reason.equals("transport close")) {
            state = State.CLOSING; // a poll sent at the same moment as the close gets a noop, a later one 400
            clearBuffer();
            lastPacket = EngineIo4Packet.NOOP;
            server.closing(this, false);
        } else {
            state = State.CLOSED;
            clearBuffer();
            server.remove(this);
        }
        Listener l = listener;
        listener = NO_LISTENER;
        try {
            l.onClose(reason);
        } catch (RuntimeException e) {
            log.error("eio {}: onClose failed", id, e);
        }
    }

    private static DisconnectReason closeCode(String reason) {
        return switch (reason) {
            case "ping timeout" -> DisconnectReason.HEARTBEAT_TIMEOUT;
            case "server shutting down" -> DisconnectReason.SHUTDOWN;
            case "parse error" -> DisconnectReason.PROTOCOL_ERROR;
            default -> DisconnectReason.NORMAL;
        };
    }

    private void finishClose() {
        state = State.CLOSED;
        clearBuffer();
        server.remove(this);
    }

    private boolean removeRival(WsConnection conn) {
        return polling != null && !polling.rivals.isEmpty() && polling.rivals.remove(conn);
    }

    private boolean isProbe(WsConnection conn) {
        return polling != null && conn == polling.probe;
    }

    private boolean buffered() {
        return buffer != null && !buffer.isEmpty();
    }

    private void clearBuffer() {
        buffer = null;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) f.cancel(false);
    }

    @Override
    public String toString() {
        return "EngineIoSession[" + id + "]";
    }
}
