package io.agentwire.redis;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Session;
import io.agentwire.core.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Session records in Redis, readable by every node: one hash per session and a sorted set by expiry for the
 * purge. The acked seq never decreases, whichever node's write raced (the writes are scripts). Blocking, as the
 * SPI says: called through {@code Blocking}.
 */
final class RedisSessionStore implements SessionStore {
    private static final int PURGE_BATCH = 500;

    private final RedisCluster cluster;
    private final Keys keys;

    RedisSessionStore(RedisCluster cluster, Keys keys) {
        this.cluster = cluster;
        this.keys = keys;
    }

    @Override
    public boolean create(Session s, int maxOpen, Instant now) {
        long r = write("create", s, Integer.toString(maxOpen), Long.toString(now.toEpochMilli()));
        if (r == 0) throw new AgentWireException(ErrorCode.INTERNAL_ERROR, "session " + s.id() + " exists");
        return r == 1;
    }

    @Override
    public Optional<Session> find(String id) {
        Map<String, String> h = cluster.await(cluster.call(ErrorCode.STORE_UNAVAILABLE,
                r -> r.hgetall(keys.session(id)).toCompletableFuture()));
        if (h == null || h.isEmpty()) return Optional.empty();
        return Optional.of(new Session(id, h.get("owner"), Instant.ofEpochMilli(Long.parseLong(h.get("created"))),
                Instant.ofEpochMilli(Long.parseLong(h.get("expires"))), Session.Status.valueOf(h.get("status")),
                Long.parseLong(h.get("acked")), Entries.parse(h.get("metadata"))));
    }

    @Override
    public void update(Session s) {
        write("update", s, "0", "0");
    }

    @Override
    public void ack(String id, long seq) {
        run(id, keys.session(id), "ack", id, Long.toString(seq));
    }

    @Override
    public int deleteExpired(Instant cutoff) {
        int total = 0;
        int n;
        do {
            List<Object> reply = cluster.await(cluster.call(ErrorCode.STORE_UNAVAILABLE, r -> Script.PURGE.run(r,
                    new String[] {keys.sessionExpiry()}, Long.toString(cutoff.toEpochMilli()), keys.prefix(),
                    Integer.toString(PURGE_BATCH))));
            n = (int) Entries.number(reply.get(0));
            total += n;
        } while (n == PURGE_BATCH);
        return total;
    }

    private long write(String op, Session s, String maxOpen, String nowMillis) {
        return run(s.id(), keys.openSessions(s.owner()), op, s.id(), s.owner(),
                Long.toString(s.createdAt().toEpochMilli()), Long.toString(s.expiresAt().toEpochMilli()),
                s.status().name(), Long.toString(s.ackedSeq()), Entries.json(s.metadata()), maxOpen, nowMillis);
    }

    private long run(String id, String ownerKey, String... args) {
        List<Object> reply = cluster.await(cluster.call(ErrorCode.STORE_UNAVAILABLE,
                r -> Script.SESSION.run(r, new String[] {keys.session(id), keys.sessionExpiry(), ownerKey}, args)));
        return Entries.number(reply.get(0));
    }
}
