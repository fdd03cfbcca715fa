package io.agentwire.dialect.mesh;

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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A state kept as changes on one durable core stream (SPI.md: "durable state without a new store"): every change is
 * a publication, applied in offset order by every node subscribed to the stream; {@link #start()} reads the whole
 * durable history before live changes apply, so the state survives a restart on SQLite and is shared through Redis
 * in cluster mode. {@link #append} completes once the change is applied on this node (read-after-write).
 */
final class StateLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateLog.class);
    private static final int PAGE = 1_000;

    private final Node node;
    private final String stream;
    private final Consumer<JsonNode> apply;
    private final Object lock = new Object();
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>(); // guarded by lock
    private List<Publication> pending = new ArrayList<>(); // live ones while loading; null once loaded
    private long applied;                                   // guarded by lock
    private volatile Subscription subscription;
    private volatile boolean ready;
    private volatile boolean closed;

    StateLog(Node node, String stream, Consumer<JsonNode> apply) {
        this.node = node;
        this.stream = stream;
        this.apply = apply;
    }

    /** Loads the history, then follows live changes; on failure (or a lost subscription) tries again every second. */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> attempt = attempt();
        attempt.whenComplete((x, e) -> {
            if (e != null) retryLater(e);
        });
        return attempt;
    }

    boolean ready() {
        return ready;
    }

    /** Appends a change; completes once it is applied here. */
    CompletableFuture<Void> append(JsonNode change) {
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
        log.warn("mesh: can not follow {} ({}); trying again in 1 s", stream, why.getMessage());
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
            if (!closed) attempt().whenComplete((x, e) -> {
                if (e != null) retryLater(e);
            });
        });
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

    private void applyOne(Publication p) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            if (p.offset() <= applied) return;
            applied = p.offset();
            try {
                apply.accept(p.data());
            } catch (RuntimeException e) {
                log.warn("mesh: change {} of {} not applied: {}", p.offset(), stream, e.toString());
            }
            Map<Long, List<CompletableFuture<Void>>> due = waiters.headMap(applied, true);
            due.values().forEach(done::addAll);
            due.clear();
        }
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
