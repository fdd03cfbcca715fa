package io.agentwire.dialect.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Principal;
import io.agentwire.core.Publication;
import io.agentwire.core.TokenBucket;
import io.agentwire.core.WireMeters;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import io.agentwire.protocol.envelope.EnvelopeDecodeResult;
import io.agentwire.transport.WsConnection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the envelope dialect: its heartbeat, its rate limit, the session it is attached to,
 * and sending. Its methods run on the connection's event loop unless they say otherwise.
 */
final class EnvelopeConnection {
    private static final Logger log = LoggerFactory.getLogger(EnvelopeConnection.class);

    private final WsConnection ws;
    private final EnvelopeConfig config;
    private final Commands commands;
    private final Attachments attachments;
    private final byte[] prefix;
    private final TokenBucket rate;
    private final WireMeters meters;
    private ScheduledFuture<?> timer;
    private int ticks; // since the last heartbeat (event loop only)
    private volatile SessionAttachment attachment;
    private volatile boolean closed;
    private final long openedAtMillis = System.currentTimeMillis();
    private long droppedSinceNotice;
    private long nextRateNoticeNanos;

    EnvelopeConnection(WsConnection ws, EnvelopeConfig config, Commands commands, Attachments attachments,
                       WireMeters meters) {
        this.ws = ws;
        this.meters = meters;
        this.config = config;
        this.commands = commands;
        this.attachments = attachments;
        this.prefix = EnvelopeCodec.connectionPrefix(ws.id());
        this.rate = new TokenBucket(config.ratePerSecond(), config.rateBurst());
    }

    String id() { return ws.id(); }

    Principal principal() { return ws.principal(); }

    WsConnection ws() { return ws; }

    /** When the connection opened (epoch millis), for the web console. */
    long openedAtMillis() { return openedAtMillis; }

    WireMeters meters() { return meters; }

    void open() {
        sendControl(Messages.connected(ws.id(), config));
        // one loop timer per connection: it checks liveness every tick and sends the heartbeat every
        // heartbeatTicks() ticks, a whole fraction of the interval (at most a quarter of it and of the timeout)
        long period = config.heartbeatInterval().toNanos() / heartbeatTicks();
        timer = ws.executor().scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    /** Ticks per heartbeat interval: a tick is at most a quarter of the interval and of the timeout (≥ 10 ms, ≤ 5 s). */
    private int heartbeatTicks() {
        long interval = config.heartbeatInterval().toMillis();
        long check = Math.clamp(Math.min(interval, config.heartbeatTimeout().toMillis()) / 4, 10, 5_000);
        return (int) Math.max(1, Math.ceilDiv(interval, check));
    }

    private void tick() {
        if (++ticks >= heartbeatTicks()) {
            ticks = 0;
            sendControl(Messages.heartbeat());
        }
        checkLiveness();
    }

    private void checkLiveness() {
        long silentNanos = System.nanoTime() - ws.lastReadNanos();
        if (silentNanos > config.heartbeatTimeout().toNanos() && ws.isOpen()) {
            log.info("closing {} ({}): silent for {} ms, heartbeat timeout", ws.id(), ws.principal().id(),
                    TimeUnit.NANOSECONDS.toMillis(silentNanos));
            ws.close(DisconnectReason.HEARTBEAT_TIMEOUT);
        }
    }

    void onText(String text) {
        meters.messageIn();
        if (!rate.tryAcquire()) {
            meters.rateLimited();
            droppedSinceNotice++;
            long now = System.nanoTime();
            if (now - nextRateNoticeNanos >= 0) {
                long retryAfter = Math.max(rate.retryAfterMillis(), 1);
                sendControl(Messages.rateLimited(retryAfter, droppedSinceNotice));
                droppedSinceNotice = 0;
                nextRateNoticeNanos = now + TimeUnit.MILLISECONDS.toNanos(Math.max(retryAfter, 1_000));
            }
            return;
        }
        switch (EnvelopeCodec.decode(text)) {
            case EnvelopeDecodeResult.Ok ok -> commands.handle(this, ok.envelope());
            case EnvelopeDecodeResult.Invalid bad -> sendControl(Messages.validation(null, null, bad.code(), bad.field(), bad.detail()));
        }
    }

    SessionAttachment attachment() { return attachment; }

    /**
     * Attaches this connection to a session, detaching it from the previous one. Refused (false) once the
     * connection has closed: an answer that arrives after the client left must not leave a subscription behind.
     */
    boolean attach(SessionAttachment next) {
        if (closed) {
            next.detach();
            return false;
        }
        SessionAttachment prev = attachment;
        attachment = next;
        if (prev != null) {
            prev.detach();
            attachments.detached(this, prev.sessionId());
        }
        return true;
    }

    void onClosed(int code, String reason) {
        closed = true;
        if (code == DisconnectReason.SLOW_CONSUMER.closeCode()) meters.slowConsumerCutOff();
        if (timer != null) timer.cancel(false);
        SessionAttachment a = attachment;
        attachment = null;
        if (a != null) {
            a.detach();
            attachments.detached(this, a.sessionId());
            if (code != 1000) attachments.connectionLost(this, a.sessionId());
        }
        log.debug("envelope connection {} closed: {} {}", ws.id(), code, reason);
    }

    /** Sends a session event: the shared, once-encoded body behind this connection's prefix. Any thread. */
    void sendEvent(Publication p, boolean live) {
        if (live) meters.delivered(p);
        else meters.replayed();
        ws.send(prefix, p.encoded(EnvelopeWire.SESSION_EVENT));
    }

    /** Sends a per-connection envelope (system.*, error answers). Any thread. */
    void sendControl(ObjectNode envelope) {
        meters.messageOut();
        if (envelope.path("event").asText("").startsWith("error.")) meters.error(envelope.path("metadata").path("code").asText(null));
        ws.send(EnvelopeCodec.encode(envelope, ws.id()));
    }

    void close(DisconnectReason reason) {
        ws.close(reason);
    }

    /**
     * Answers a request that failed in the core with {@code system.error} (the code of an AgentWireException,
     * else INTERNAL_ERROR), and logs it. Any thread.
     */
    void failed(String sessionId, String what, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        ErrorCode code = cause instanceof AgentWireException aw ? aw.code() : ErrorCode.INTERNAL_ERROR;
        log.error("could not {} for {} on {}: {}", what, principal().id(), id(), code, cause);
        sendControl(Messages.failed(sessionId, what, code));
    }

    /** Runs {@code task} on this connection's event loop once fewer than {@code below} messages are queued. */
    void whenDrained(int below, Runnable task) {
        ws.whenDrained(below, task);
    }

    /** Messages waiting in this connection's send queue. */
    int queuedMessages() {
        return ws.queuedMessages();
    }
}
