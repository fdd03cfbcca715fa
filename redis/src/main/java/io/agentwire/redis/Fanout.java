package io.agentwire.redis;

import io.agentwire.core.ErrorCode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Publication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the cluster channel: hands every publication to local delivery once, per stream in offset
 * order, and fills what the channel lost while this node's subscription was down.
 *
 * <p>It remembers, per stream, the last offset it delivered (forgotten after the stream's idle timeout). Live
 * messages arrive in offset order on one connection; a message at or below what was delivered (a catch-up read
 * raced it) is dropped. When the subscription comes back, {@link #catchUp} reads, for every stream it remembers,
 * the publications after the last delivered one and delivers them. A gap that is still left (a stream this node
 * never saw, or more than {@link #CATCH_UP_LIMIT} missed) is found by the core's subscriptions on their next
 * publication and filled from history, or ends the subscription with a typed reason.
 */
final class Fanout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);
    static final int CATCH_UP_LIMIT = 10_000;

    private final RedisBroker broker;
    private final long forgetAfterMillis;
    private final Map<String, Seen> seen = new HashMap<>(); // guarded by this
    private volatile Consumer<Publication> delivery = p -> { };

    private static final class Seen {
        String epoch;
        long offset;
        long atMillis;
    }

    Fanout(RedisBroker broker, HistoryConfig window) {
        this.broker = broker;
        this.forgetAfterMillis = window.idleStreamTimeout().toMillis();
    }

    void onDelivery(Consumer<Publication> delivery) {
        this.delivery = delivery;
    }

    /** A message from the cluster channel (the pub/sub connection's thread). */
    void received(String message) {
        Publication p;
        try {
            p = Entries.fromMessage(message);
        } catch (RuntimeException e) {
            log.error("dropping an unreadable message from the cluster channel", e);
            return;
        }
        deliver(p);
    }

    synchronized void deliver(Publication p) {
        Seen s = seen.get(p.stream());
        if (s == null) {
            s = new Seen();
            seen.put(p.stream(), s);
        } else if (s.epoch.equals(p.epoch()) && p.offset() <= s.offset) {
            return;
        }
        s.epoch = p.epoch();
        s.offset = p.offset();
        s.atMillis = System.currentTimeMillis();
        try {
            delivery.accept(p);
        } catch (RuntimeException e) {
            log.error("local delivery of {} failed", p, e);
        }
    }

    /** After the subscription came back: delivers what every known stream published meanwhile. */
    void catchUp() {
        List<Map.Entry<String, Seen>> known = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Seen> e : seen.entrySet()) {
                Seen copy = new Seen();
                copy.epoch = e.getValue().epoch;
                copy.offset = e.getValue().offset;
                known.add(Map.entry(e.getKey(), copy));
            }
        }
        log.info("catching up {} streams after the cluster channel came back", known.size());
        for (Map.Entry<String, Seen> e : known) {
            broker.read(e.getKey(), e.getValue().offset, CATCH_UP_LIMIT, ErrorCode.BROKER_UNAVAILABLE).whenComplete((r, err) -> {
                if (err != null) {
                    log.warn("could not catch up {}: {}", e.getKey(), err.getMessage());
                    return;
                }
                if (!r.epoch().equals(e.getValue().epoch)) return; // history lost: subscriptions see the new epoch
                for (Publication p : r.publications()) deliver(p);
            });
        }
    }

    /** Forgets streams idle for longer than their idle timeout. */
    synchronized void sweep() {
        long cutoff = System.currentTimeMillis() - forgetAfterMillis;
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next().atMillis < cutoff) it.remove();
        }
    }

    /** The streams delivered recently. */
    synchronized List<String> streams() {
        return new ArrayList<>(seen.keySet());
    }

    @Override
    public void close() {
        delivery = p -> { };
    }
}
