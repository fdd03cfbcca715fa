package io.agentwire.redis;

import io.agentwire.core.ErrorCode;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which agent runs are in progress on which node, so that the runs of a node that died are ended by another
 * (on one node, the next start does it from the store). Each node keeps a liveness key alive (three heartbeats) and
 * the set of its runs; every heartbeat, a node takes — atomically, so only one does — the runs of nodes whose
 * liveness key expired and hands them to the handler (which ends them as interrupted).
 *
 * <p>A node only reaps after its own connection has been up for two liveness periods, so that after a Redis
 * outage the other live nodes have renewed their keys first.
 */
public final class RunLeases {
    private static final Logger log = LoggerFactory.getLogger(RunLeases.class);

    private final RedisCluster cluster;
    private final Keys keys;
    private final String nodeId;
    private final long ttlMillis;
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private volatile BiConsumer<String, String> orphans;
    private volatile boolean closed;

    RunLeases(RedisCluster cluster, Keys keys, String nodeId, Duration heartbeat) {
        this.cluster = cluster;
        this.keys = keys;
        this.nodeId = nodeId;
        this.ttlMillis = heartbeat.toMillis() * 3;
    }

    /** Sets who ends the runs of dead nodes ({@code (sessionId, runId)}); without one, nothing is reaped. */
    public void onOrphans(BiConsumer<String, String> handler) {
        this.orphans = handler;
    }

    /** A run of this node is in progress (idempotent). */
    public void started(String sessionId, String runId) {
        String field = sessionId + " " + runId;
        if (mine.add(field)) write(field);
    }

    /** A run of this node ended. */
    public void ended(String sessionId, String runId) {
        String field = sessionId + " " + runId;
        if (mine.remove(field)) {
            cluster.call(r -> r.hdel(keys.runs(nodeId), field).toCompletableFuture())
                    .whenComplete((n, e) -> { if (e != null) log.debug("run lease {} not removed: {}", field, e.getMessage()); });
        }
    }

    private void write(String field) {
        cluster.call(r -> r.hset(keys.runs(nodeId), field, "1").toCompletableFuture())
                .whenComplete((n, e) -> { if (e != null) log.debug("run lease {} not written: {}", field, e.getMessage()); });
    }

    /** Every heartbeat: renews this node's liveness (and its runs, in case Redis lost them), then reaps. */
    void heartbeat() {
        if (closed) return;
        cluster.call(r -> r.set(keys.node(nodeId), "1", SetArgs.Builder.px(ttlMillis)).toCompletableFuture()
                .thenCompose(ok -> r.sadd(keys.nodes(), nodeId).toCompletableFuture()))
                .whenComplete((n, e) -> { if (e != null) log.debug("liveness not written: {}", e.getMessage()); });
        for (String field : mine) write(field);
        BiConsumer<String, String> handler = orphans;
        if (handler == null || cluster.upForMillis() < 2 * ttlMillis) return;
        cluster.call(r -> Script.REAP.run(r, new String[] {keys.nodes()}, keys.prefix(), nodeId)).whenComplete((runs, e) -> {
            if (e != null || runs.isEmpty()) return;
            for (Object o : runs) {
                String[] parts = ((String) o).split(" ", 2);
                log.warn("run {} of session {} was in progress on a node that is gone: ending it as interrupted", parts[1], parts[0]);
                try {
                    handler.accept(parts[0], parts[1]);
                } catch (RuntimeException ex) {
                    log.error("could not end run {} of session {}", parts[1], parts[0], ex);
                }
            }
        });
    }

    /** Leaves cleanly: runs were ended by the shutdown; this node's keys go. */
    void close() {
        closed = true;
        try {
            cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> r.del(keys.node(nodeId), keys.runs(nodeId)).toCompletableFuture()
                    .thenCompose(n -> r.srem(keys.nodes(), nodeId).toCompletableFuture())).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("node keys not removed: {}", e.getMessage());
        }
    }
}
