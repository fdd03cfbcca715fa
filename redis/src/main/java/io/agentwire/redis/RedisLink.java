package io.agentwire.redis;

import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to Redis that comes back by itself: when it is lost (checked every 100 ms and on Lettuce's
 * disconnect event) it is dropped — its commands in flight fail, new ones fail at once — and reconnected with
 * exponential backoff. Lettuce's own auto-reconnect is off: it would replay commands whose reply was lost, and a
 * replayed publish is a duplicate event.
 *
 * @param <C> the connection type (commands or pub/sub)
 */
final class RedisLink<C extends StatefulConnection<String, String>> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final String name;
    private final String address;
    private final Supplier<CompletionStage<C>> connect;
    private final Function<C, CompletionStage<?>> onUp;
    private final Runnable onDown;
    private final ScheduledExecutorService scheduler;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final AtomicLong reconnects = new AtomicLong();
    private volatile C current;
    private volatile boolean connecting;
    private volatile boolean closed;
    private boolean everUp;
    private boolean reportedDown;
    private long delayMillis;

    /**
     * @param onUp prepares a fresh connection (subscribe, …); the link counts as up once it completes
     * @param onDown called once when an up connection is lost
     */
    RedisLink(String name, RedisConfig config, Supplier<CompletionStage<C>> connect, Function<C, CompletionStage<?>> onUp,
              Runnable onDown, ScheduledExecutorService scheduler) {
        this.name = name;
        this.address = config.address();
        this.connect = connect;
        this.onUp = onUp;
        this.onDown = onDown;
        this.scheduler = scheduler;
        this.minDelay = config.reconnectMin();
        this.maxDelay = config.reconnectMax();
        this.delayMillis = minDelay.toMillis();
    }

    /** Connects (waiting up to {@code wait} for the first connection) and starts watching the connection. */
    boolean start(Duration wait) {
        CompletableFuture<Boolean> first = new CompletableFuture<>();
        attempt(first);
        scheduler.scheduleWithFixedDelay(this::check, 100, 100, TimeUnit.MILLISECONDS);
        try {
            return first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** The connection if it is up, else null. */
    C connection() {
        C c = current;
        return c != null && c.isOpen() ? c : null;
    }

    boolean isUp() {
        return connection() != null;
    }

    /** Times the connection was restored after a loss. */
    long reconnects() {
        return reconnects.get();
    }

    /** Checks the connection now (Lettuce reported a disconnect). */
    void check() {
        if (closed) return;
        C c = current;
        if (c != null && !c.isOpen()) {
            synchronized (this) {
                if (current != c) return;
                current = null;
            }
            log.warn("Redis {} connection to {} lost; reconnecting", name, address);
            c.closeAsync();
            try {
                onDown.run();
            } catch (RuntimeException e) {
                log.error("Redis {} connection: down handler failed", name, e);
            }
        }
        if (current == null && !connecting) attempt(null);
    }

    private void attempt(CompletableFuture<Boolean> first) {
        synchronized (this) {
            if (closed || connecting || current != null) return;
            connecting = true;
        }
        CompletionStage<C> stage;
        try {
            stage = connect.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.thenCompose(c -> onUp.apply(c).handle((ok, e) -> {
            if (e == null) return c;
            c.closeAsync();
            throw new IllegalStateException("could not prepare the connection: " + e.getMessage(), e);
        })).whenComplete((c, e) -> {
            if (e != null) {
                failed(e, first);
            } else {
                up(c, first);
            }
        });
    }

    private void up(C c, CompletableFuture<Boolean> first) {
        boolean restored;
        synchronized (this) {
            connecting = false;
            if (closed) {
                c.closeAsync();
                return;
            }
            current = c;
            restored = everUp;
            everUp = true;
            reportedDown = false;
            delayMillis = minDelay.toMillis();
        }
        if (restored) {
            reconnects.incrementAndGet();
            log.info("Redis {} connection to {} restored", name, address);
        } else {
            log.info("Redis {} connection to {} established", name, address);
        }
        if (first != null) first.complete(true);
    }

    private void failed(Throwable e, CompletableFuture<Boolean> first) {
        long delay;
        boolean report;
        synchronized (this) {
            connecting = false;
            if (closed) return;
            delay = delayMillis;
            delayMillis = Math.min(maxDelay.toMillis(), delayMillis * 2);
            report = !reportedDown;
            reportedDown = true;
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (report) {
            log.warn("Redis {} connection to {} failed ({}); retrying with backoff up to {} ms", name, address,
                    cause.getMessage(), maxDelay.toMillis());
        } else {
            log.debug("Redis {} connection to {} failed again ({})", name, address, cause.getMessage());
        }
        if (first != null) first.complete(false);
        scheduler.schedule(() -> attempt(null), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        C c;
        synchronized (this) {
            closed = true;
            c = current;
            current = null;
        }
        if (c != null) c.close();
    }
}
