package io.agentwire.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.Broker;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.History;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Ids;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The cluster {@link Broker}: offsets, windows and fan-out in Redis, so every node sees every stream in the same
 * order.
 *
 * <ul>
 *   <li>{@link #publish} runs one Lua script: {@code HINCRBY} the stream's top, {@code XADD} the publication to the
 *       stream's Redis Stream (id = its offset, trimmed to {@code history.size} entries) and {@code PUBLISH} it on
 *       the cluster's channel. Redis runs scripts one at a time and delivers a channel's messages in order, so every
 *       node receives each stream in offset order, whichever node published.</li>
 *   <li>The window's age bound is applied on read with Redis' clock; an idle stream's keys expire after
 *       {@code history.idleStreamTimeout}, and the stream comes back with a new epoch.</li>
 *   <li>{@link #history} reads top, epoch and entries in one script and answers all or nothing, as
 *       {@code MemoryBroker} does. For durable streams (their Redis Stream holds the whole session) the window's
 *       count and age bounds are applied the same way.</li>
 *   <li>Delivery: every node subscribes to the channel (see {@link Fanout}); while its subscription is down,
 *       messages are lost, so when it is back the node reads what it missed from the streams.</li>
 * </ul>
 */
public final class RedisBroker implements Broker {
    private final RedisCluster cluster;
    private final Keys keys;
    private final HistoryConfig window;
    final Fanout fanout;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> inUse = s -> false;

    RedisBroker(RedisCluster cluster, Keys keys, HistoryConfig window) {
        this.cluster = cluster;
        this.keys = keys;
        this.window = window;
        this.fanout = new Fanout(this, window);
    }

    @Override
    public void onDelivery(Consumer<Publication> delivery) {
        fanout.onDelivery(delivery);
    }

    @Override
    public CompletableFuture<Publication> publish(String stream, JsonNode data) {
        return run(stream, data, "broker", window.size(), window.idleStreamTimeout().toMillis(), null,
                ErrorCode.BROKER_UNAVAILABLE);
    }

    /** Publishes to a durable stream: offsets from the durable log's counter, kept whole, never expiring. */
    CompletableFuture<Publication> publishDurable(String stream, JsonNode data) {
        return run(stream, data, "log", 0, 0, null, ErrorCode.STORE_UNAVAILABLE);
    }

    @Override
    public CompletableFuture<Publication> append(Publication committed) {
        return run(committed.stream(), committed.data(), "append", window.size(),
                window.idleStreamTimeout().toMillis(), committed, ErrorCode.BROKER_UNAVAILABLE);
    }

    private CompletableFuture<Publication> run(String stream, JsonNode data, String mode, int maxLen, long idleMillis,
                                               Publication given, ErrorCode code) {
        String payload;
        try {
            payload = Entries.json(data);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String[] args = {payload, keys.channel(), stream, Integer.toString(maxLen), Long.toString(idleMillis),
                Ids.random(8), mode,
                given == null ? "0" : Long.toString(given.offset()),
                given == null ? "" : given.epoch(),
                given == null ? "0" : Long.toString(given.timeMillis())};
        return cluster.call(code, r -> Script.PUBLISH.run(r, new String[] {keys.meta(stream), keys.stream(stream), keys.epoch()}, args))
                .thenApply(reply -> given != null ? given : new Publication(stream, Entries.number(reply.get(0)),
                        (String) reply.get(1), Entries.number(reply.get(2)), data));
    }

    /**
     * Keeps the state of streams with subscribers on this node while they are idle (the core's
     * {@code Broker.retainWhile}): {@link #retain} pushes back the expiry of their keys, so an idle stream that is
     * still subscribed keeps its epoch.
     */
    public void retainWhile(Predicate<String> inUse) {
        this.inUse = inUse;
    }

    /** Runs periodically (a third of the idle timeout): renews the expiry of the streams in use here. */
    void retain() {
        Set<String> candidates = new HashSet<>(asked);
        candidates.addAll(fanout.streams());
        String ttl = Long.toString(window.idleStreamTimeout().toMillis());
        for (String stream : candidates) {
            if (!inUse.test(stream)) {
                asked.remove(stream);
                continue;
            }
            cluster.call(r -> Script.KEEPALIVE.run(r, new String[] {keys.meta(stream), keys.stream(stream)}, ttl));
        }
    }

    @Override
    public CompletableFuture<History> history(String stream, StreamPosition since, int limit) {
        asked.add(stream);
        return read(stream, since.offset(), Math.min(limit, window.size()), ErrorCode.BROKER_UNAVAILABLE).thenApply(r -> answer(r, since, limit));
    }

    private History answer(Read r, StreamPosition since, int limit) {
        if (r.epoch().isEmpty()) {
            return since.offset() == 0
                    ? History.complete(new StreamPosition(0, since.epoch()), List.of())
                    : History.incomplete(new StreamPosition(0, ""), History.Gap.EVICTED);
        }
        StreamPosition top = new StreamPosition(r.top(), r.epoch());
        if (since.offset() > 0 && !r.epoch().equals(since.epoch())) return History.incomplete(top, History.Gap.EPOCH_CHANGED);
        if (since.offset() > r.top()) return History.incomplete(top, History.Gap.EPOCH_CHANGED);
        long missing = r.top() - since.offset();
        if (missing == 0) return History.complete(top, List.of());
        List<Publication> got = r.publications();
        long cutoff = r.nowMillis() - window.ttl().toMillis();
        boolean evicted = missing > window.size() || got.isEmpty() || got.get(0).offset() != since.offset() + 1
                || got.get(0).timeMillis() < cutoff;
        if (evicted) return History.incomplete(top, History.Gap.EVICTED);
        if (missing > limit) return History.incomplete(top, History.Gap.LIMIT);
        if (got.size() != missing) return History.incomplete(top, History.Gap.EVICTED);
        return History.complete(top, got);
    }

    @Override
    public CompletableFuture<StreamPosition> top(String stream) {
        asked.add(stream);
        return read(stream, 0, 0, ErrorCode.BROKER_UNAVAILABLE).thenApply(r -> new StreamPosition(r.top(), r.epoch()));
    }

    /** A stream's top, epoch, Redis' clock and up to {@code count} publications after {@code after}, in one step. */
    CompletableFuture<Read> read(String stream, long after, int count, ErrorCode code) {
        return cluster.call(code, r -> Script.READ.run(r, new String[] {keys.meta(stream), keys.stream(stream)},
                Long.toString(after), Integer.toString(Math.max(0, count)))).thenApply(reply -> {
                    String epoch = (String) reply.get(1);
                    return new Read(Entries.number(reply.get(0)), epoch, Entries.number(reply.get(2)),
                            epoch.isEmpty() ? List.of() : Entries.fromEntries(stream, epoch, reply.get(3)));
                });
    }

    record Read(long top, String epoch, long nowMillis, List<Publication> publications) { }

    @Override
    public boolean ready() {
        return cluster.ready();
    }

    /** Does nothing: the broker's connections belong to its {@link RedisCluster}, which closes them. */
    @Override
    public void close() {
        fanout.close();
    }
}
