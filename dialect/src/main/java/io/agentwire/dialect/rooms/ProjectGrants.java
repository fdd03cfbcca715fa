package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import io.agentwire.core.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project access that backends grant over the HTTP API, beside the projects of a user's JWT. Every grant and
 * revocation is a publication on the core stream {@value #STREAM}, applied in offset order by every node that
 * subscribes to it: in cluster mode every node sees every grant, and when the stream is durable (the server makes
 * {@code access:} streams durable) the grants survive a restart — {@link #start()} reads the stream's whole history
 * before live ones are applied. A change completes once it is applied on this node, so a client's subscribe that
 * follows a grant's answer sees it.
 */
final class ProjectGrants implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProjectGrants.class);
    static final String STREAM = "access:rooms";
    private static final int PAGE = 1_000;

    private final Node node;
    private final BiConsumer<String, String> onRevoke;
    private final Map<String, Set<String>> projectsByUser = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>(); // guarded by lock
    private List<Publication> pending = new ArrayList<>(); // live publications while loading; null once loaded
    private long applied;                                   // guarded by lock
    private volatile Subscription subscription;
    private volatile boolean ready;
    private volatile boolean closed;
    /** Failed attempts in a row (0 while following); sets the next delay and whether to warn. */
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    static final long FIRST_RETRY_MILLIS = 1_000;
    static final long MAX_RETRY_MILLIS = 5_000; // as the Redis links (agentwire.cluster.reconnect-max-delay, 5 s)

    /** @param onRevoke called with (user, project) after a revocation was applied (outside any lock) */
    ProjectGrants(Node node, BiConsumer<String, String> onRevoke) {
        this.node = node;
        this.onRevoke = onRevoke;
    }

    /**
     * Subscribes, reads the durable history up to the subscription's start (after what this node already applied),
     * then applies live changes. The returned future is the first attempt; if it fails, or if the subscription
     * ends later (the broker's connection was lost in cluster mode), it starts again with backoff (1 s, 2 s, 4 s,
     * then every 5 s) until closed, catching up on what changed meanwhile (revocations included). One warning per outage;
     * the attempts after it log at debug level, and the recovery at info level.
     */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> attempt = attempt();
        attempt.whenComplete((x, e) -> {
            if (e != null) retryLater(e);
        });
        return attempt;
    }

    /** True once the grants are loaded and followed live. */
    boolean ready() {
        return ready;
    }

    private CompletableFuture<Void> attempt() {
        synchronized (lock) {
            if (pending == null) pending = new ArrayList<>();
        }
        io.agentwire.core.Subscriber subscriber = new io.agentwire.core.Subscriber() {
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
        return node.subscribe(STREAM, subscriber, null).thenCompose(resume -> {
            subscription = resume.subscription();
            long top = resume.top().offset();
            long from;
            synchronized (lock) {
                from = applied;
            }
            return node.isDurable(STREAM) && top > from ? load(from, top) : CompletableFuture.completedFuture(null);
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
            log.warn("project grants: can not follow {} ({}); retrying with backoff up to {} s — grants made meanwhile "
                    + "are not seen by this node until then", STREAM, why.getMessage(), MAX_RETRY_MILLIS / 1000);
        } else {
            log.debug("project grants: still can not follow {} ({}); attempt {} in {} ms", STREAM, why.getMessage(),
                    failed + 1, delay);
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
            if (!closed) attempt().whenComplete((x, e) -> {
                if (e != null) {
                    retryLater(e);
                } else {
                    log.info("project grants: following {} again after {} failed attempts", STREAM, failures.getAndSet(0));
                }
            });
        });
    }

    /** The wait before the attempt after {@code failed} failures in a row: 1 s, 2 s, 4 s, then 5 s. */
    static long retryDelayMillis(int failed) {
        return Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(Math.max(failed - 1, 0), 16));
    }

    /** Grants {@code user} access to {@code project}; completes once applied on this node. */
    CompletableFuture<Void> grant(String user, String project) {
        return change("grant", user, project);
    }

    /** Revokes a grant (not the JWT's projects); completes once applied on this node. */
    CompletableFuture<Void> revoke(String user, String project) {
        return change("revoke", user, project);
    }

    boolean has(String user, String project) {
        Set<String> p = projectsByUser.get(user);
        return p != null && p.contains(project);
    }

    /** The projects granted to {@code user} over the API. */
    Set<String> projects(String user) {
        Set<String> p = projectsByUser.get(user);
        return p == null ? Set.of() : Set.copyOf(p);
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = subscription;
        if (s != null) s.close();
    }

    private CompletableFuture<Void> change(String op, String user, String project) {
        JsonNode entry = JsonNodeFactory.instance.objectNode().put("op", op).put("user", user).put("project", project);
        return node.publish(STREAM, entry).thenCompose(p -> applied(p.offset()));
    }

    private CompletableFuture<Void> load(long after, long top) {
        return node.durableHistory(STREAM, after, PAGE).thenCompose(page -> {
            long last = after;
            for (Publication p : page) {
                if (p.offset() > top) break;
                apply(p);
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
        apply(p);
    }

    /** Applies what arrived live while loading, batch by batch, until none is left: then live ones apply at once. */
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
            held.forEach(this::apply);
        }
    }

    /** Applies one change (in offset order; an offset already applied is skipped) and wakes its waiters. */
    private void apply(Publication p) {
        JsonNode d = p.data();
        String op = d.path("op").asText();
        String user = d.path("user").asText();
        String project = d.path("project").asText();
        boolean revoked = false;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            if (p.offset() <= applied) return;
            applied = p.offset();
            if (op.equals("grant")) {
                projectsByUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(project);
            } else if (op.equals("revoke")) {
                Set<String> projects = projectsByUser.get(user);
                revoked = projects != null && projects.remove(project);
                if (projects != null && projects.isEmpty()) projectsByUser.remove(user, projects);
            }
            Map<Long, List<CompletableFuture<Void>>> ready = waiters.headMap(applied, true);
            ready.values().forEach(done::addAll);
            ready.clear();
        }
        if (revoked) onRevoke.accept(user, project);
        done.forEach(f -> f.complete(null));
    }

    private CompletableFuture<Void> applied(long offset) {
        synchronized (lock) {
            if (applied >= offset) return CompletableFuture.completedFuture(null);
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(f);
            return f;
        }
    }
}
