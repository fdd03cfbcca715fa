package io.agentwire.transport;

import io.agentwire.core.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpLimits} of one listener: connections per listener and per principal (counters), the HTTP API rate
 * limit, and ONE periodic sweep that applies the idle, header and body timeouts to every connection still speaking
 * HTTP — no timer per connection; the connections that speak HTTP are a set their {@link HttpDecoder} joins and
 * leaves (a WebSocket leaves it at its handshake), so the sweep does not walk the idle WebSockets: with 19 000 of them
 * the walk took 2–8 ms of the loop every second.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long FORGET_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final HttpLimits limits;
    private final ConcurrentHashMap<String, AtomicInteger> perPrincipal = new ConcurrentHashMap<>();
    private final Set<Channel> speakingHttp = ConcurrentHashMap.newKeySet();
    private final ApiRateLimiter api;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private long forgotAt = System.nanoTime();
    private ScheduledFuture<?> sweep;

    ConnectionGuard(HttpLimits limits) {
        this.limits = limits;
        this.api = new ApiRateLimiter(limits.apiPerSecond(), limits.apiBurst());
    }

    HttpLimits limits() {
        return limits;
    }

    /** The listener's connections that speak HTTP (their {@link HttpDecoder}s keep it), for the sweep. */
    Set<Channel> speakingHttp() {
        return speakingHttp;
    }

    /** Connections of the listener that speak HTTP now (not yet, or never, a WebSocket). */
    int httpConnections() {
        return speakingHttp.size();
    }

    /** Starts the sweep on {@code loop}. */
    synchronized void start(EventLoop loop) {
        if (sweep != null) return;
        long every = limits.sweepEvery().toMillis();
        sweep = loop.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (sweep != null) sweep.cancel(false);
    }

    /**
     * A new connection (its event loop, before any handler): false when the listener is full; it was then answered
     * 503 and is being closed.
     */
    boolean admit(Channel ch, int open) {
        if (open < limits.maxConnections()) return true;
        refused.incrementAndGet();
        if (refused.get() % 1_000 == 1) {
            log.warn("listener {}: {} connections open, the limit; refusing new ones with 503", ch.localAddress(), open);
        }
        byte[] body = ("{\"error\":{\"code\":\"SERVER_BUSY\",\"message\":\"too many connections (limit "
                + limits.maxConnections() + ")\"}}").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n"
                + "content-length: " + body.length + "\r\nretry-after: 1\r\nconnection: close\r\n\r\n";
        ch.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body))
                .addListener(ChannelFutureListener.CLOSE);
        return false;
    }

    /**
     * One more WebSocket connection for {@code principal} on {@code ch}: false when the principal has its maximum
     * (the anonymous principal is not counted). Released when the channel closes.
     */
    boolean acquire(Principal principal, Channel ch) {
        if (principal == null || principal.anonymous()) return true;
        String id = principal.id();
        AtomicInteger n = perPrincipal.compute(id, (k, v) -> v == null ? new AtomicInteger() : v);
        if (n.incrementAndGet() > limits.maxConnectionsPerPrincipal()) {
            release(id);
            return false;
        }
        ch.closeFuture().addListener(f -> release(id));
        return true;
    }

    private void release(String id) {
        perPrincipal.computeIfPresent(id, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    int principalConnections(String id) {
        AtomicInteger n = perPrincipal.get(id);
        return n == null ? 0 : n.get();
    }

    /** The HTTP API's rate limit for {@code client}: null (go on) or the 429 reply. */
    HttpReply checkApi(String client) {
        long wait = api.acquire(client);
        if (wait == 0) return null;
        return HttpReply.error(429, "RATE_LIMITED", "more than " + limits.apiBurst() + " API requests at once or "
                + limits.apiPerSecond() + " per second from " + client).withHeader("retry-after", Long.toString(wait));
    }

    long timedOut() {
        return timedOut.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Channel ch : speakingHttp) {
            HttpDecoder d = ch.pipeline().get(HttpDecoder.class); // null: it just stopped speaking HTTP
            if (d != null && d.expired(limits, now)) {
                timedOut.incrementAndGet();
                ch.eventLoop().execute(() -> d.expire(ch, limits));
            }
        }
        if (now - forgotAt > FORGET_EVERY_NANOS) {
            forgotAt = now;
            api.forgetIdle();
        }
    }
}
