package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-process {@link Broker}: per stream, a lock that makes offset assignment, the window append and the
 * hand-over to local delivery one atomic step, so every subscriber sees the stream in offset order. The window
 * keeps the last {@link HistoryConfig#size()} publications that are younger than {@link HistoryConfig#ttl()}; it
 * keeps their payloads as {@link CompactJson} copies (what subscribers get too), which take about 40 % of a
 * Jackson tree's memory for a small event.
 *
 * <p>Each stream gets a random epoch when this broker first sees it; a stream idle (no publication, empty
 * window, no local subscriber) for {@link HistoryConfig#idleStreamTimeout()} is forgotten, and if it is used again it starts with a
 * new epoch, so an old position is answered "not recovered", never with a wrong history.
 */
public final class MemoryBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(MemoryBroker.class);

    private final HistoryConfig config;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, StreamState> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile Consumer<Publication> delivery = p -> { };
    private volatile Predicate<String> inUse = stream -> false;

    public MemoryBroker(HistoryConfig config) {
        this(config, System::currentTimeMillis, true);
    }

    /** For tests: an explicit millisecond clock, and whether to run the periodic sweep. */
    MemoryBroker(HistoryConfig config, LongSupplier clock, boolean sweep) {
        this.config = config;
        this.clock = clock;
        if (sweep) {
            sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("aw-broker-sweep").factory());
            long every = Math.max(1_000, Math.min(config.ttl().toMillis(), 60_000));
            sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    @Override
    public void onDelivery(Consumer<Publication> delivery) {
        this.delivery = delivery;
    }

    @Override
    public void retainWhile(Predicate<String> inUse) {
        this.inUse = inUse;
    }

    @Override
    public CompletableFuture<Publication> publish(String stream, JsonNode data) {
        StreamState s = state(stream);
        JsonNode kept = CompactJson.compact(data); // the window holds it: a compact copy (outside the stream's lock)
        Publication p;
        synchronized (s) {
            long now = clock.getAsLong();
            p = new Publication(s.name, s.top + 1, s.epoch, now, kept); // the map's key: one name per stream kept
            s.add(p, now);
            deliver(p);
        }
        return CompletableFuture.completedFuture(p);
    }

    @Override
    public CompletableFuture<Publication> append(Publication written) {
        Publication committed = written.compacted(); // the window holds it (see publish)
        StreamState s = state(committed.stream());
        synchronized (s) {
            if (!s.epoch.equals(committed.epoch()) || committed.offset() != s.top + 1) {
                if (s.top != 0 || !s.window.isEmpty()) {
                    log.debug("window of {} restarts at {} (was {}@{})", committed.stream(), committed.offset(), s.top, s.epoch);
                }
                s.window.clear();
                s.epoch = committed.epoch();
            }
            s.add(committed, clock.getAsLong());
            deliver(committed);
        }
        return CompletableFuture.completedFuture(committed);
    }

    @Override
    public CompletableFuture<History> history(String stream, StreamPosition since, int limit) {
        StreamState s = streams.get(stream);
        if (s == null) {
            return CompletableFuture.completedFuture(since.offset() == 0
                    ? History.complete(new StreamPosition(0, since.epoch()), List.of())
                    : History.incomplete(new StreamPosition(0, ""), History.Gap.EVICTED));
        }
        synchronized (s) {
            s.evictOld(clock.getAsLong());
            StreamPosition top = new StreamPosition(s.top, s.epoch);
            boolean fromStart = since.offset() == 0;
            if (!fromStart && !s.epoch.equals(since.epoch())) {
                return CompletableFuture.completedFuture(History.incomplete(top, History.Gap.EPOCH_CHANGED));
            }
            if (since.offset() > s.top) {
                return CompletableFuture.completedFuture(History.incomplete(top, History.Gap.EPOCH_CHANGED));
            }
            long first = s.window.isEmpty() ? s.top + 1 : s.window.peekFirst().offset();
            if (since.offset() + 1 < first) {
                return CompletableFuture.completedFuture(History.incomplete(top, History.Gap.EVICTED));
            }
            long missing = s.top - since.offset();
            if (missing > limit) {
                return CompletableFuture.completedFuture(History.incomplete(top, History.Gap.LIMIT));
            }
            List<Publication> out = new ArrayList<>((int) missing);
            for (Publication p : s.window) {
                if (p.offset() > since.offset()) out.add(p);
            }
            return CompletableFuture.completedFuture(History.complete(top, out));
        }
    }

    @Override
    public CompletableFuture<StreamPosition> top(String stream) {
        StreamState s = streams.get(stream);
        if (s == null) return CompletableFuture.completedFuture(new StreamPosition(0, ""));
        synchronized (s) {
            return CompletableFuture.completedFuture(new StreamPosition(s.top, s.epoch));
        }
    }

    /** Streams this broker holds state for. */
    public int streamCount() {
        return streams.size();
    }

    /**
     * Drops expired window entries and forgets idle streams — never one that has subscribers on this node, whose
     * positions must stay valid. Runs periodically; package-private for tests.
     */
    void sweep() {
        long now = clock.getAsLong();
        long idle = config.idleStreamTimeout().toMillis();
        for (Iterator<Map.Entry<String, StreamState>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, StreamState> e = it.next();
            StreamState s = e.getValue();
            synchronized (s) {
                s.evictOld(now);
                if (s.window.isEmpty() && now - s.lastPublishMillis >= idle && !inUse.test(e.getKey())) it.remove();
            }
        }
    }

    private StreamState state(String stream) {
        return streams.computeIfAbsent(stream, k -> new StreamState(k, Ids.random(8)));
    }

    private void deliver(Publication p) {
        try {
            delivery.accept(p);
        } catch (RuntimeException e) {
            log.error("local delivery of {} failed", p, e);
        }
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.shutdownNow();
    }

    /** One stream: its top, epoch and window. Guarded by its own monitor. */
    private final class StreamState {
        final String name;
        final ArrayDeque<Publication> window = new ArrayDeque<>(2); // most streams hold a few; it grows as they get more
        long top;
        String epoch;
        long lastPublishMillis;

        StreamState(String name, String epoch) {
            this.name = name;
            this.epoch = epoch;
        }

        void add(Publication p, long now) {
            top = p.offset();
            lastPublishMillis = now;
            window.addLast(p);
            while (window.size() > config.size()) window.removeFirst();
            evictOld(now);
        }

        void evictOld(long now) {
            long cutoff = now - config.ttl().toMillis();
            while (!window.isEmpty() && window.peekFirst().timeMillis() < cutoff) window.removeFirst();
        }
    }
}
