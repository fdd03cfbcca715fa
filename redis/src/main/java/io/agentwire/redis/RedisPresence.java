package io.agentwire.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.LocalPresence;
import io.agentwire.core.Presence;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Presence} for the whole cluster. Each node counts its own connections and room members in a
 * {@link LocalPresence} (updates stay O(1) and never wait for Redis) and writes the counts of each scope it has to
 * Redis — at once after a change (coalesced), and again every heartbeat — as one key per node and scope with a time
 * to live of three heartbeats. A node that dies stops rewriting its keys, so its connections leave the cluster's
 * counts within three heartbeats; a node that stops cleanly deletes them at once. {@link #snapshot} sums the live
 * nodes' entries in one script.
 */
final class RedisPresence implements Presence {
    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    private final RedisCluster cluster;
    private final Keys keys;
    private final String nodeId;
    private final Duration heartbeat;
    private final LocalPresence local = new LocalPresence();
    private final Set<String> scopes = ConcurrentHashMap.newKeySet();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean closed;

    RedisPresence(RedisCluster cluster, Keys keys, String nodeId, Duration heartbeat) {
        this.cluster = cluster;
        this.keys = keys;
        this.nodeId = nodeId;
        this.heartbeat = heartbeat;
    }

    void start(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        long every = heartbeat.toMillis();
        scheduler.scheduleWithFixedDelay(this::rewriteAll, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void connected(String scope, String connectionId) {
        local.connected(scope, connectionId);
        changed(scope);
    }

    @Override
    public void disconnected(String scope, String connectionId) {
        local.disconnected(scope, connectionId);
        changed(scope);
    }

    @Override
    public void joined(String scope, String connectionId, String room) {
        local.joined(scope, connectionId, room);
        changed(scope);
    }

    @Override
    public void left(String scope, String connectionId, String room) {
        local.left(scope, connectionId, room);
        changed(scope);
    }

    /** The sum of every live node's counts of the scope (this node's own as written last). */
    @Override
    public CompletableFuture<Snapshot> snapshot(String scope) {
        return cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> Script.PRESENCE.run(r,
                new String[] {keys.presenceNodes(scope)}, keys.presence(scope, ""))).thenApply(RedisPresence::sum);
    }

    /**
     * The live nodes: the members of the node set whose liveness key (renewed by each node's heartbeat, with a TTL:
     * {@link RunLeases}) still exists. A node that stopped cleanly or missed its heartbeats is not listed.
     */
    @Override
    public CompletableFuture<List<String>> nodes() {
        return cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> r.smembers(keys.nodes()).toCompletableFuture()
                .thenCompose(ids -> {
                    List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
                    if (sorted.isEmpty()) return CompletableFuture.completedFuture(List.<String>of());
                    return r.mget(sorted.stream().map(keys::node).toArray(String[]::new)).toCompletableFuture()
                            .thenApply(values -> {
                                List<String> live = new ArrayList<>();
                                for (int i = 0; i < values.size(); i++) if (values.get(i).hasValue()) live.add(sorted.get(i));
                                return List.copyOf(live);
                            });
                }));
    }

    /** This node's own counts of the scope. */
    CompletableFuture<Snapshot> localSnapshot(String scope) {
        return local.snapshot(scope);
    }

    private static Snapshot sum(List<Object> entries) {
        long connections = 0;
        Map<String, Long> rooms = new HashMap<>();
        for (Object o : entries) {
            JsonNode n = Entries.parse((String) o);
            connections += n.path("c").asLong();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("r").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                rooms.merge(e.getKey(), e.getValue().asLong(), Long::sum);
            }
        }
        return new Snapshot(connections, rooms);
    }

    private void changed(String scope) {
        scopes.add(scope);
        dirty.add(scope);
        ScheduledExecutorService s = scheduler;
        if (s != null && flushScheduled.compareAndSet(false, true)) {
            try {
                s.execute(this::flush);
            } catch (RuntimeException e) {
                flushScheduled.set(false); // shutting down
            }
        }
    }

    private void flush() {
        flushScheduled.set(false);
        for (Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
            String scope = it.next();
            it.remove();
            write(scope);
        }
    }

    /** Rewrites every scope's entry (the heartbeat; and after a reconnection, Redis may have lost them). */
    void rewriteAll() {
        for (String scope : scopes) write(scope);
    }

    private void write(String scope) {
        Snapshot s = local.snapshot(scope).join();
        ObjectNode json = Entries.JSON.createObjectNode();
        json.put("c", s.connections());
        ObjectNode rooms = json.putObject("r");
        s.rooms().forEach(rooms::put);
        String value = Entries.json(json);
        long ttl = heartbeat.toMillis() * 3;
        synchronized (this) { // against close(): a write is either issued before its DEL (same connection) or not at all
            if (closed) return;
            issue(scope, value, ttl);
        }
    }

    private void issue(String scope, String value, long ttl) {
        cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> r.set(keys.presence(scope, nodeId), value, SetArgs.Builder.px(ttl))
                .toCompletableFuture().thenCompose(ok -> r.sadd(keys.presenceNodes(scope), nodeId).toCompletableFuture()))
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        dirty.add(scope); // written again by the next heartbeat
                        log.debug("presence of {} not written: {}", scope, e.getMessage());
                    }
                });
    }

    /** Deletes this node's entries (a clean stop: its connections leave the counts at once). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (String scope : scopes) {
            try {
                cluster.call(ErrorCode.BROKER_UNAVAILABLE, r -> r.del(keys.presence(scope, nodeId)).toCompletableFuture())
                        .get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("presence of {} not deleted: {}", scope, e.getMessage());
            }
        }
    }
}
