package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of AgentWire: publish, subscribe and resume on streams, for every dialect.
 *
 * <ul>
 *   <li><b>Publish</b>: ephemeral streams go to the {@link Broker}, which assigns offsets; durable streams
 *       (sessions) go to the {@link EventLog}, which assigns offsets in the transaction that stores them and
 *       hands each committed publication, in order, to the broker for the window and fan-out. A client therefore
 *       never sees a durable event that a crash could take back (rule 3).</li>
 *   <li><b>Subscribe / resume</b>: the subscription is attached first (buffering live publications), then the
 *       history after the position is read — from the broker's window, or for durable streams from the log when
 *       the window no longer holds it — and delivered, then the buffered publications that follow it: nothing
 *       lost, nothing repeated at the hand-over (rules 1 and 2). Beyond the window (count or age): an explicit
 *       NOT_RECOVERED.</li>
 * </ul>
 */
public final class Node implements EventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final Broker broker;
    private final EventLog eventLog;
    private final NodeConfig config;
    private final Hub hub = new Hub();

    /**
     * @param eventLog the durable log for durable streams, or null to keep every stream in the broker only
     */
    public Node(Broker broker, EventLog eventLog, NodeConfig config) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.eventLog = eventLog;
        this.config = Objects.requireNonNull(config, "config");
        broker.onDelivery(hub::dispatch);
        broker.retainWhile(stream -> hub.subscribers(stream) > 0);
        if (eventLog != null) eventLog.onCommit(broker::append);
    }

    public NodeConfig config() { return config; }

    public Broker broker() { return broker; }

    @Override
    public CompletableFuture<Publication> publish(String stream, JsonNode data) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(data, "data");
        return isDurable(stream) ? eventLog.append(stream, data) : broker.publish(stream, data);
    }

    public boolean isDurable(String stream) {
        return eventLog != null && config.durable(stream);
    }

    /**
     * Subscribes {@code subscriber} to {@code stream}. With {@code since} null the subscription is live from the
     * current top; otherwise every publication after {@code since} is replayed first (all or nothing).
     */
    public CompletableFuture<Resume> subscribe(String stream, Subscriber subscriber, StreamPosition since) {
        Subscription sub = new Subscription(stream, subscriber, hub, config.recoveryBufferLimit(), this::fillGap);
        hub.add(sub);
        CompletableFuture<Resume> result = since == null ? goLiveAtTop(sub) : recover(sub, since);
        return result.whenComplete((r, e) -> {
            if (e != null) sub.close();
        });
    }

    /** The stream's current position: from the log for durable streams (blocking read on a virtual thread). */
    public CompletableFuture<StreamPosition> top(String stream) {
        if (isDurable(stream)) return Blocking.supply(() -> eventLog.top(stream));
        return broker.top(stream);
    }

    /** Publications after {@code afterOffset} from durable history (durable streams only), at most {@code limit}. */
    public CompletableFuture<List<Publication>> durableHistory(String stream, long afterOffset, int limit) {
        if (!isDurable(stream)) return CompletableFuture.failedFuture(new IllegalArgumentException(stream + " is not durable"));
        return Blocking.supply(() -> eventLog.read(stream, afterOffset, limit));
    }

    /**
     * Observes, live, every publication delivered on this node to a stream whose name starts with {@code prefix}
     * (e.g. {@code "session:"} for every session): for observers such as dashboards and metrics that follow
     * activity rather than one stream. No history and no resume; per stream in offset order; the subscriber must
     * not block. Close the returned handle to stop.
     */
    public AutoCloseable tap(String prefix, Subscriber subscriber) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(subscriber, "subscriber");
        return hub.tap(prefix, subscriber);
    }

    /**
     * Ends every subscription of this node with {@code reason}; each subscriber is told (dialects close their
     * connections, whose clients then resume). For a cluster broker that lost its fan-out connection: live delivery
     * stopped, and a client waiting in silence would not know. Returns how many subscriptions ended.
     */
    public int interrupt(ErrorCode reason) {
        Objects.requireNonNull(reason, "reason");
        int n = hub.terminateAll(reason);
        if (n > 0) log.warn("ended {} subscriptions: {}", n, reason);
        return n;
    }

    /** Local subscriber count of a stream (this node only). */
    public int localSubscribers(String stream) {
        return hub.subscribers(stream);
    }

    public boolean ready() {
        return broker.ready() && (eventLog == null || eventLog.ready());
    }

    private CompletableFuture<Resume> goLiveAtTop(Subscription sub) {
        return top(sub.stream()).thenApply(top -> {
            if (!sub.goLive(top, List.of())) throw new IllegalStateException("fresh subscription can not have a gap");
            requireOpen(sub);
            return new Resume(sub, Resume.Outcome.LIVE, top, 0, Resume.Source.NONE, History.Gap.NONE);
        });
    }

    private CompletableFuture<Resume> recover(Subscription sub, StreamPosition since) {
        String stream = sub.stream();
        int limit = config.history().size();
        return broker.history(stream, since, limit).thenCompose(h -> {
            // For a durable stream the broker's window only covers what it saw since this process started; a
            // broker that knows nothing of the stream (top 0) can not speak for the log.
            boolean brokerKnowsStream = h.top().offset() > 0 || !isDurable(stream);
            if (h.complete() && brokerKnowsStream) {
                return CompletableFuture.completedFuture(deliver(sub, since, h.publications(), Resume.Source.WINDOW));
            }
            if (isDurable(stream) && h.reason() != History.Gap.LIMIT) return recoverFromLog(sub, since);
            return notRecovered(sub, h.reason());
        });
    }

    private CompletableFuture<Resume> recoverFromLog(Subscription sub, StreamPosition since) {
        String stream = sub.stream();
        HistoryConfig window = config.history();
        return Blocking.supply(() -> {
            if (since.offset() > 0 && !eventLog.epoch().equals(since.epoch())) return (List<Publication>) null;
            if (since.offset() > eventLog.top(stream).offset()) return null; // a position this stream never had
            return eventLog.read(stream, since.offset(), window.size() + 1);
        }).thenCompose(missed -> {
            if (missed == null) return notRecovered(sub, History.Gap.EPOCH_CHANGED);
            if (missed.size() > window.size()) return notRecovered(sub, History.Gap.EVICTED);
            long cutoff = System.currentTimeMillis() - window.ttl().toMillis();
            if (!missed.isEmpty() && missed.get(0).timeMillis() < cutoff) return notRecovered(sub, History.Gap.EVICTED);
            StreamPosition from = new StreamPosition(since.offset(), eventLog.epoch());
            return CompletableFuture.completedFuture(deliver(sub, from, missed, Resume.Source.LOG));
        });
    }

    private Resume deliver(Subscription sub, StreamPosition since, List<Publication> missed, Resume.Source source) {
        if (!sub.goLive(since, missed)) {
            // History and buffered live publications do not join up: refuse rather than leave a gap.
            throw new CompletionException(new AgentWireException(ErrorCode.BROKER_UNAVAILABLE,
                    "history of " + sub.stream() + " after " + since.offset() + " is not contiguous"));
        }
        requireOpen(sub);
        StreamPosition top = missed.isEmpty() ? since : missed.get(missed.size() - 1).position();
        return new Resume(sub, Resume.Outcome.RECOVERED, top, missed.size(), source, History.Gap.NONE);
    }

    private CompletableFuture<Resume> notRecovered(Subscription sub, History.Gap gap) {
        return top(sub.stream()).thenApply(top -> {
            if (!sub.goLive(top, List.of())) throw new IllegalStateException("subscription at top can not have a gap");
            requireOpen(sub);
            return new Resume(sub, Resume.Outcome.NOT_RECOVERED, top, 0, Resume.Source.NONE, gap);
        });
    }

    /**
     * A subscription can end while it recovers (its buffer overflowed: SLOW_CONSUMER; or its owner closed it);
     * then the subscribe future fails with that reason instead of reporting a closed subscription as live.
     */
    private static void requireOpen(Subscription sub) {
        if (sub.isOpen()) return;
        ErrorCode reason = sub.terminatedBy();
        throw new CompletionException(reason == null
                ? new AgentWireException(ErrorCode.INTERNAL_ERROR, "subscription to " + sub.stream() + " was closed while it recovered")
                : new AgentWireException(reason, "subscription to " + sub.stream() + " ended while it recovered: " + reason));
    }

    /** A live subscription saw offsets skip: read the missing ones from history, or end it. */
    private void fillGap(Subscription sub) {
        StreamPosition at = sub.position();
        log.warn("gap in {} after offset {}: recovering from history", sub.stream(), at == null ? 0 : at.offset());
        recover(sub, at).whenComplete((r, e) -> {
            if (e != null || r.outcome() != Resume.Outcome.RECOVERED) {
                log.warn("could not fill the gap in {}: ending the subscription", sub.stream(), e);
                sub.terminate(ErrorCode.BROKER_UNAVAILABLE);
            }
        });
    }

    @Override
    public void close() {
        broker.close();
        if (eventLog != null) eventLog.close();
    }
}
