package io.agentwire.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.Ids;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import io.lettuce.core.SetArgs;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The durable history of session streams in cluster mode, in Redis run with {@code appendonly yes} and
 * {@code appendfsync always} (docs/cluster.md says why Redis and not PostgreSQL).
 *
 * <p>As with the embedded store, the log assigns a durable stream's offsets inside its commit: one script
 * increments the stream's counter, appends the publication to the stream's Redis Stream (kept whole until the
 * session is purged) and publishes it on the cluster channel. With {@code appendfsync always} Redis writes and
 * fsyncs the append-only file before it sends anything to any client, so the reply to the publisher and the
 * fan-out message both leave Redis after the write is durable: an offset a client saw is never reused. The
 * hand-over to the broker happens inside that same script, so the listener given to {@link #onCommit} is not
 * called (calling it would publish every event twice); every node, this one included, receives the publication
 * from the channel.
 *
 * <p>The log's epoch is one key ({@code P:epoch}), written when a durable stream is first created in an empty
 * Redis; if Redis loses its data, a new epoch is written and old positions are answered "not recovered".
 */
public final class RedisEventLog implements EventLog {
    private final RedisCluster cluster;
    private final RedisBroker broker;
    private final Keys keys;
    private volatile String epoch;

    RedisEventLog(RedisCluster cluster, RedisBroker broker, Keys keys) {
        this.cluster = cluster;
        this.broker = broker;
        this.keys = keys;
    }

    /** Not called: the commit script hands every publication to the cluster's fan-out itself (see above). */
    @Override
    public void onCommit(Consumer<Publication> listener) {
        // intentionally unused
    }

    @Override
    public CompletableFuture<Publication> append(String stream, JsonNode data) {
        return broker.publishDurable(stream, data).thenApply(p -> {
            if (p.offset() == 1) epoch = null; // a new stream: the log's epoch may have been (re)created
            return p;
        });
    }

    @Override
    public List<Publication> read(String stream, long afterOffset, int limit) {
        return cluster.await(broker.read(stream, afterOffset, limit, ErrorCode.STORE_UNAVAILABLE)).publications();
    }

    @Override
    public StreamPosition top(String stream) {
        RedisBroker.Read r = cluster.await(broker.read(stream, 0, 0, ErrorCode.STORE_UNAVAILABLE));
        return new StreamPosition(r.top(), r.epoch().isEmpty() ? epoch() : r.epoch());
    }

    @Override
    public String epoch() {
        String e = epoch;
        if (e != null) return e;
        String candidate = Ids.random(8);
        e = cluster.await(cluster.call(ErrorCode.STORE_UNAVAILABLE, r -> r.set(keys.epoch(), candidate, SetArgs.Builder.nx())
                .toCompletableFuture().thenCompose(ok -> r.get(keys.epoch()).toCompletableFuture())));
        epoch = e;
        return e;
    }

    /** After a reconnection: Redis may have lost its data, read the epoch again. */
    void forgetEpoch() {
        epoch = null;
    }

    @Override
    public boolean ready() {
        return cluster.ready();
    }

    /** Nothing to close: the connections belong to the {@link RedisCluster}. */
    @Override
    public void close() { }
}
