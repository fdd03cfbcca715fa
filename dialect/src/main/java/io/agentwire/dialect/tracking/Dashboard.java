package io.agentwire.dialect.tracking;

import io.agentwire.core.DisconnectReason;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.WireMeters;
import io.agentwire.transport.WsConnection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dashboard connection: its heartbeat (the server's {@code ping}; silence closes it), its rate limit, and its
 * requests, handed to the {@link Tracker}, which also sends every answer (errors included), in request order. Runs on the connection's event loop, except {@link #send}, which any
 * thread may call, and {@link #streamingSession}, which only the board touches.
 */
final class Dashboard {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    private final WsConnection ws;
    private final String clientId;
    private final TrackingConfig config;
    private final Tracker tracker;
    private final LongSupplier clock;
    private final SlidingWindow rate;
    private final WireMeters meters;
    private ScheduledFuture<?> ping;
    private ScheduledFuture<?> liveness;
    private long droppedSinceNotice;
    private long nextNoticeNanos;
    /** The session whose logs this dashboard streams, or null; confined to the tracker's thread. */
    String streamingSession;
    /** AgentCraft vocabulary: whether {@code crewai_log} lines are sent (until stop_log_streaming); tracker's thread. */
    boolean crewLogs = true;
    /** The messages this dashboard speaks, by the path it connected to. */
    final Vocabulary vocabulary;

    /** The connection (the web console's rows). */
    WsConnection ws() {
        return ws;
    }

    /** The client id of its path. */
    String clientId() {
        return clientId;
    }

    Dashboard(WsConnection ws, String clientId, Vocabulary vocabulary, TrackingConfig config, Tracker tracker,
              LongSupplier clock, WireMeters meters) {
        this.ws = ws;
        this.meters = meters;
        this.vocabulary = vocabulary;
        this.clientId = clientId;
        this.config = config;
        this.tracker = tracker;
        this.clock = clock;
        this.rate = new SlidingWindow(config.rateLimitMessages(), config.rateLimitWindow().toNanos(), System::nanoTime);
        this.nextNoticeNanos = System.nanoTime();
    }

    void open() {
        long interval = config.pingInterval().toMillis();
        long check = Math.clamp(Math.min(interval, config.pongTimeout().toMillis()) / 4, 10, 5_000);
        ping = ws.executor().scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.MILLISECONDS);
        liveness = ws.executor().scheduleAtFixedRate(this::checkLiveness, check, check, TimeUnit.MILLISECONDS);
        tracker.run(b -> b.register(this));
    }

    /**
     * The heartbeat: spec 002's {@code {"type":"ping"}} and a WebSocket protocol ping frame, which browsers answer
     * by themselves — so a client that never answers the message (as AgentCraft's components) stays alive.
     */
    private void ping() {
        send(Outbound.ping(clock.getAsLong()));
        ws.sendPing();
    }

    /**
     * Any frame counts as liveness (a pong frame or message, a request, a WebSocket ping): silence beyond the timeout
     * closes.
     */
    private void checkLiveness() {
        long silentNanos = System.nanoTime() - ws.lastReadNanos();
        if (silentNanos > config.pongTimeout().toNanos() && ws.isOpen()) {
            log.info("closing tracking client {} ({}): no pong for {} ms", clientId, ws.id(),
                    TimeUnit.NANOSECONDS.toMillis(silentNanos));
            ws.close(DisconnectReason.HEARTBEAT_TIMEOUT);
        }
    }

    void onText(String text) {
        meters.messageIn();
        Inbound.Decoded d = Inbound.decode(text, vocabulary);
        if (d instanceof Inbound.Request r && r.type().equals(Inbound.PONG)) return; // liveness only; never limited
        if (!rate.tryAcquire()) {
            rateLimited(d);
            return;
        }
        switch (d) {
            case Inbound.Invalid bad -> error(bad.code(), bad.message(), bad.field(), bad.type());
            case Inbound.Request r -> handle(r);
        }
    }

    private void handle(Inbound.Request r) {
        String sid = r.sessionId();
        switch (r.type()) {
            case Inbound.PING -> reply(Outbound.pong(clock.getAsLong()));
            case Inbound.GET_SESSION_STATE -> tracker.run(b -> b.sendState(this, sid));
            case Inbound.GET_SESSION_LOGS -> tracker.run(b -> b.sendLogs(this, sid));
            case Inbound.START_LOG_STREAMING -> tracker.run(b -> b.startStreaming(this, sid));
            case Inbound.STOP_LOG_STREAMING -> tracker.run(b -> b.stopRequested(this));
            default -> throw new IllegalStateException("unhandled message type " + r.type());
        }
    }

    /** Over the limit: the message is dropped; the client hears so at once, then at most once a second. */
    private void rateLimited(Inbound.Decoded d) {
        meters.rateLimited();
        droppedSinceNotice++;
        long now = System.nanoTime();
        if (now - nextNoticeNanos < 0) return;
        long retryAfter = Math.max(rate.retryAfterMillis(), 1);
        String type = d instanceof Inbound.Request r ? r.type() : ((Inbound.Invalid) d).type();
        var m = Outbound.error(ErrorCode.RATE_LIMITED, "rate limit exceeded: at most " + config.rateLimitMessages()
                + " messages per " + window() + " per client; " + droppedSinceNotice
                + " dropped; retry after " + retryAfter + " ms", null, type, null, clock.getAsLong());
        m.put("retry_after_ms", retryAfter).put("dropped", droppedSinceNotice)
                .put("limit", config.rateLimitMessages()).put("window_ms", config.rateLimitWindow().toMillis());
        reply(Outbound.encode(m), ErrorCode.RATE_LIMITED);
        droppedSinceNotice = 0;
        nextNoticeNanos = now + TimeUnit.SECONDS.toNanos(1);
    }

    private String window() {
        long ms = config.rateLimitWindow().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private void error(ErrorCode code, String message, String field, String type) {
        reply(Outbound.encode(Outbound.error(code, message, field, type, null, clock.getAsLong())), code);
    }

    /**
     * Sends an answer behind the answers to this connection's earlier requests, which the tracker sends: so a client
     * gets its answers in the order of its requests.
     */
    private void reply(byte[] message) {
        tracker.run(b -> send(message));
    }

    private void reply(byte[] message, ErrorCode error) {
        tracker.run(b -> sendError(message, error));
    }

    void onClosed(int code, String reason) {
        if (ping != null) ping.cancel(false);
        if (liveness != null) liveness.cancel(false);
        if (code == DisconnectReason.SLOW_CONSUMER.closeCode()) meters.slowConsumerCutOff();
        tracker.run(b -> b.unregister(this));
        log.debug("tracking client {} ({}) closed: {} {}", clientId, ws.id(), code, reason);
    }

    /** Queues one message (bytes shared with other dashboards, never modified). Any thread. */
    boolean send(byte[] message) {
        if (!ws.send(message)) return false;
        meters.messageOut();
        return true;
    }

    /** Queues an error message answering this dashboard, counted by its code. Any thread. */
    boolean sendError(byte[] message, ErrorCode code) {
        meters.error(code.name());
        return send(message);
    }

    void close(DisconnectReason reason) {
        ws.close(reason);
    }
}
