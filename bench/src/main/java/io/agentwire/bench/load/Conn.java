package io.agentwire.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * One simulated client: its protocol state across connections (Socket.IO pid and offset, envelope session and seq),
 * the order check of the broadcasts it receives ({@code m} events carry the publisher's seq), and its channel.
 * Confined to its event loop ({@link Loader#loopOf}), except {@link #send} and {@link #drop}, which hop onto it.
 */
public final class Conn {
    static final ObjectMapper JSON = new ObjectMapper();

    final int index;
    final Proto proto;
    final Listener listener;
    volatile Channel channel;
    long connectStarted;
    boolean ready;
    /** How the latest connection attempt went: the HTTP status that refused its upgrade (0: none), whether it upgraded. */
    int refusedStatus;
    boolean upgraded;
    /** Given back once the pending connection is ready or failed ({@link Loader#connectAll}). */
    volatile Gate settled;

    // Socket.IO
    String sid;
    String pid;
    String offset;
    boolean recovered;
    long nextAckId;

    // envelope
    String sessionId;
    long sessionSeq;

    // broadcasts ("m" events, and envelope session events): order check over the client's whole life
    long lastSeq;
    long received;
    long gaps;
    long duplicates;
    /** Storm bookkeeping: the last seq before the drop, when the client resumed (0: not yet, -1: not recovered). */
    long lastSeqAtDrop;
    long resumedAt;

    public Conn(int index, Proto proto, Listener listener) {
        this.index = index;
        this.proto = proto;
        this.listener = listener;
    }

    /** What a scenario hears; called on the client's event loop (several clients may call at once from different loops). */
    public interface Listener {
        default void ready(Conn c, long nanos) { }

        /** A broadcast {@code m} (seq and send time from the publisher), after the order check. */
        default void message(Conn c, long seq, long sent, long now) { }

        default void ack(Conn c, long sent, long now) { }

        /** An envelope from {@code agentwire serve}, after the session-seq check. */
        default void envelope(Conn c, JsonNode msg) { }

        /** The connection failed before it was ready, or closed after. */
        default void closed(Conn c, boolean wasReady) { }
    }

    public boolean ready() {
        return ready;
    }

    public void send(String text) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) ch.writeAndFlush(new TextWebSocketFrame(text), ch.voidPromise());
    }

    /** Closes the TCP connection without a WebSocket or Socket.IO goodbye: the server sees a dropped client. */
    public void drop() {
        Channel ch = channel;
        if (ch != null) ch.close();
    }

    /**
     * Says goodbye and closes: a Socket.IO client sends its namespace's DISCONNECT ({@code 41}, what
     * {@code socket.disconnect()} sends), after which a server keeps no recovery state for it; other protocols have no
     * goodbye the bench uses and are dropped.
     */
    public void leave() {
        Channel ch = channel;
        if (ch == null) return;
        if (proto == Proto.SIO && ready && ch.isActive()) {
            ch.writeAndFlush(new TextWebSocketFrame("41")).addListener(f -> ch.close());
        } else {
            ch.close();
        }
    }

    public void echo(long sent) {
        send(Wire.echo(proto, nextAckId++, sent));
    }

    void opened() { // the WebSocket handshake completed
        upgraded = true;
        if (proto == Proto.WS) becameReady();
    }

    void text(String text, Wire.In in, long now) {
        switch (proto) {
            case WS -> {
                Wire.parseWs(text, in);
                onEventOrAck(in, now);
            }
            case SIO -> sio(Wire.parseSio(text, in), now);
            case ENV -> envelope(text);
        }
    }

    private void sio(Wire.In in, long now) {
        switch (in.kind) {
            case EIO_OPEN -> send(Wire.sioConnect(pid, offset));
            case EIO_PING -> send("3");
            case CONNECT -> {
                String newPid = Wire.field(in.connectJson, "pid");
                recovered = pid != null && pid.equals(newPid);
                sid = Wire.field(in.connectJson, "sid");
                pid = newPid;
                becameReady();
            }
            case EVENT, ACK -> {
                if (in.kind == Wire.Kind.EVENT && in.offset() != null) offset = in.offset();
                onEventOrAck(in, now);
            }
            case CONNECT_ERROR, DISCONNECT, EIO_CLOSE -> drop();
            default -> { }
        }
    }

    private void onEventOrAck(Wire.In in, long now) {
        if (in.kind == Wire.Kind.ACK) {
            if (in.numberCount > 0) listener.ack(this, in.numbers[0], now);
        } else if (in.numberCount >= 2 && in.stringCount > 0 && "m".equals(in.strings[0])) {
            long seq = in.numbers[0];
            order(seq);
            listener.message(this, seq, in.numbers[1], now);
        }
    }

    private void order(long seq) {
        received++;
        if (lastSeq == 0) {
            lastSeq = seq;
        } else if (seq <= lastSeq) {
            duplicates++;
        } else {
            gaps += seq - lastSeq - 1;
            lastSeq = seq;
        }
    }

    private void envelope(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        String event = msg.path("event").asText();
        if (msg.has("seq")) {
            long seq = msg.get("seq").asLong();
            if (seq <= sessionSeq) duplicates++;
            else gaps += seq - sessionSeq - 1;
            sessionSeq = Math.max(sessionSeq, seq);
            lastSeq = sessionSeq;
            received++;
        }
        switch (event) {
            case "system.connected" -> {
                becameReady();
                if (sessionId != null) {
                    ObjectNode m = JSON.createObjectNode().put("event", "user.reconnect").put("session_id", sessionId);
                    m.putObject("content").put("last_seq", sessionSeq);
                    send(m.toString());
                }
            }
            case "system.heartbeat" -> send("{\"event\":\"user.heartbeat\"}");
            case "agent.session_created" -> sessionId = msg.path("content").path("session_id").asText();
            default -> { }
        }
        listener.envelope(this, msg);
    }

    private void settle() {
        Gate g = settled;
        if (g != null) {
            settled = null;
            g.release();
        }
    }

    private void becameReady() {
        ready = true;
        settle();
        listener.ready(this, System.nanoTime() - connectStarted);
    }

    /** {@code ch}: the channel that closed ({@code null}: a connect that failed); a late close of an old one is ignored. */
    void closed(Channel ch) {
        if (ch != null && ch != channel) return;
        boolean was = ready;
        ready = false;
        channel = null;
        settle();
        listener.closed(this, was);
    }
}
