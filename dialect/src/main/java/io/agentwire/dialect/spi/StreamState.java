package io.agentwire.dialect.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import io.agentwire.core.Subscriber;
import io.agentwire.core.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dialect's state kept as changes on one core stream — durable state without a store of its own: every change is a
 * publication, applied in offset order by every node that follows the stream; {@link #start()} reads the stream's
 * durable history (declare its prefix in {@link DialectProvider#durableStreams}) before live changes apply, so the
 * state survives a restart on SQLite and is shared through Redis in cluster mode. {@link #append} completes once the
 * change is applied on this node (read-after-write). If following fails (the broker is unreachable) or the
 * subscription ends, it starts again with backoff (1 s, 2 s, 4 s, then every 5 s), catching up on what changed
 * meanwhile; one warning per outage, the attempts after it at debug level, the recovery at info level.
 *
 * <pre>{@code
 * StreamState grants = new StreamState(node, "access:rooms", "project grants", change -> {
 *     apply(change);                         // under the state's lock, in offset order, once per change
 *     return () -> notifyWatchers(change);   // optional: runs after, outside the lock (or null)
 * });
 * grants.start().join();
 * grants.append(json).join();                // applied here when this completes
 * }</pre>
 */
public final class StreamState implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamState.class);
    private static final int PAGE = 1_000;

    private final Node node;
    private final String stream;
    private final String name;
    private final Function<JsonNode, Runnable> apply;
    private final Object lock = new Object();
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>(); // guarded by lock
    private List<Publication> pending = new ArrayList<>(); // live ones while loading; null once loaded
    private long applied;                                   // guarded by lock
    private volatile Subscription subscription;
    private volatile boolean ready;
    /** Failed attempts in a row (0 while following): the next delay, and whether to warn. */
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    static final long FIRST_RETRY_MILLIS = 1_000;
    static final long MAX_RETRY_MILLIS = 5_000; // as the Redis links (agentwire.cluster.reconnect-max-delay, 5 s)
    private volatile boolean closed;

    /**
     * @param stream the core stream of the changes
     * @param name what the state is, for log lines ("project grants")
     * @param apply applies one change (under the state's lock, in offset order) and returns what to run after it
     *     outside the lock, or null
     */
    public StreamState(Node node, String stream, String name, Function<JsonNode, Runnable> apply) {
        this.node = node;
        this.stream = stream;
        this.name = name;
        this.apply = apply;
    }

    /**
     * Loads the history, then follows live changes. The future is the first attempt; on its failure (or a lost
     * subscription later) it tries again with backoff until closed, and {@link #ready()} says when it is in.
     */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> attempt = attempt();
        attempt.whenComplete((x, e) -> {
            if (e != null) retryLater(e);
        });
        return attempt;
    }

    /** True while the state is loaded and followed live. */
    public boolean ready() {
        return ready;
    }

    /** Appends a change; completes once it is applied here. */
    public CompletableFuture<Void> append(JsonNode change) {
        return node.publish(stream, change).thenCompose(p -> appliedUpTo(p.offset()));
    }

    private CompletableFuture<Void> attempt() {
        synchronized (lock) {
            if (pending == null) pending = new ArrayList<>();
        }
        Subscriber subscriber = new Subscriber() {
            @Override
            public void onPublication(Publication p) {
                live(p);
            }

            @Override
            public void onTerminated(ErrorCode reason) {
                ready = false;
                if (!closed) retryLater(new IllegalStateException("subscription ended: " + reason));
            }
        };
        return node.subscribe(stream, subscriber, null).thenCompose(resume -> {
            subscription = resume.subscription();
            long top = resume.top().offset();
            long from;
            synchronized (lock) {
                from = applied;
            }
            return node.isDurable(stream) && top > from ? load(from, top) : CompletableFuture.completedFuture(null);
        }).thenRun(() -> {
            drainPending();
            ready = true;
        });
    }

    private void retryLater(Throwable why) {
        if (closed) return;
        int failed = failures.incrementAndGet();
        long delay = retryDelayMillis(failed);
        if (failed == 1) {
            log.warn("{}: can not follow {} ({}); retrying with backoff up to {} s — changes made meanwhile are not "
                    + "seen by this node until then", name, stream, why.getMessage(), MAX_RETRY_MILLIS / 1000);
        } else {
            log.debug("{}: still can not follow {} ({}); attempt {} in {} ms", name, stream, why.getMessage(),
                    failed + 1, delay);
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            if (!closed) attempt().whenComplete((x, e) -> {
                if (e != null) retryLater(e);
                else log.info("{}: following {} again after {} failed attempts", name, stream, failures.getAndSet(0));
            });
        });
    }

    /** The wait before the attempt after {@code failed} failures in a row: 1 s, 2 s, 4 s, then 5 s. */
    static long retryDelayMillis(int failed) {
        return Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(Math.max(failed - 1, 0), 16));
    }

    private CompletableFuture<Void> load(long after, long top) {
        return node.durableHistory(stream, after, PAGE).thenCompose(page -> {
            long last = after;
            for (Publication p : page) {
                if (p.offset() > top) break;
                applyOne(p);
                last = p.offset();
            }
            return page.size() == PAGE && last < top ? load(last, top) : CompletableFuture.completedFuture(null);
        });
    }

    private void live(Publication p) {
        synchronized (lock) {
            if (pending != null) {
                pending.add(p);
                return;
            }
        }
        applyOne(p);
    }

    private void drainPending() {
        while (true) {
            List<Publication> held;
            synchronized (lock) {
                if (pending.isEmpty()) {
                    pending = null;
                    return;
                }
                held = pending;
                pending = new ArrayList<>();
            }
            held.forEach(this::applyOne);
        }
    }

    /** Applies one change (an offset already applied is skipped), runs its after-action and wakes its waiters. */
    private void applyOne(Publication p) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        Runnable after = null;
        synchronized (lock) {
            if (p.offset() <= applied) return;
            applied = p.offset();
            try {
                after = apply.apply(p.data());
            } catch (RuntimeException e) {
                log.warn("{}: change {} of {} not applied: {}", name, p.offset(), stream, e.toString());
            }
            Map<Long, List<CompletableFuture<Void>>> due = waiters.headMap(applied, true);
            due.values().forEach(done::addAll);
            due.clear();
        }
        if (after != null) after.run();
        done.forEach(f -> f.complete(null));
    }

    private CompletableFuture<Void> appliedUpTo(long offset) {
        synchronized (lock) {
            if (applied >= offset) return CompletableFuture.completedFuture(null);
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(f);
            return f;
        }
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = subscription;
        if (s != null) s.close();
    }
}
