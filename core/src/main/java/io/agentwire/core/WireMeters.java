package io.agentwire.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What one dialect counts on the wire, tagged with its name: messages in and out, deliveries of stream publications
 * and their latency (publish → handed to the connection's writer), resumes and not-recovered answers, rate-limited
 * messages, slow-consumer cut-offs, acknowledgements, and errors by code. Any thread.
 */
public final class WireMeters {
    /** Counts nothing. */
    public static final WireMeters NONE = new WireMeters(Meters.NONE, "none");

    private final Meters meters;
    private final String dialect;
    private final Meters.Counter in;
    private final Meters.Counter out;
    private final Meters.Counter deliveries;
    private final Meters.Timer latency;
    private final Meters.Counter resumes;
    private final Meters.Counter notRecovered;
    private final Meters.Counter rateLimited;
    private final Meters.Counter slowConsumers;
    private final Meters.Counter acksIn;
    private final Meters.Counter acksOut;
    private final ConcurrentHashMap<String, Meters.Counter> errors = new ConcurrentHashMap<>();

    public WireMeters(Meters meters, String dialect) {
        this.meters = meters;
        this.dialect = dialect;
        in = meters.counter("agentwire.messages.in", "messages received from clients", "dialect", dialect);
        out = meters.counter("agentwire.messages.out", "messages sent to clients", "dialect", dialect);
        deliveries = meters.counter("agentwire.deliveries", "stream publications delivered to a connection",
                "dialect", dialect);
        latency = meters.timer("agentwire.delivery.latency",
                "from a publication's time to its hand-over to the connection's writer", "dialect", dialect);
        resumes = meters.counter("agentwire.resumes", "resumes answered with the missed publications",
                "dialect", dialect);
        notRecovered = meters.counter("agentwire.resumes.not.recovered",
                "resumes that could not be answered from history (snapshot, new session or error instead)",
                "dialect", dialect);
        rateLimited = meters.counter("agentwire.rate.limited", "client messages dropped by the rate limit",
                "dialect", dialect);
        slowConsumers = meters.counter("agentwire.slow.consumer.disconnects",
                "connections closed because their send queue overflowed", "dialect", dialect);
        acksIn = meters.counter("agentwire.acks", "acknowledgements: received from clients (in), sent to clients (out)",
                "dialect", dialect, "direction", "in");
        acksOut = meters.counter("agentwire.acks", "acknowledgements: received from clients (in), sent to clients (out)",
                "dialect", dialect, "direction", "out");
    }

    public String dialect() { return dialect; }

    public void messageIn() { in.increment(); }

    public void messageOut() { out.increment(); }

    /** A publication handed to a connection: a delivery, a message out, and its latency from {@code timeMillis}. */
    public void delivered(Publication p) {
        deliveries.increment();
        out.increment();
        long ms = System.currentTimeMillis() - p.timeMillis();
        if (p.timeMillis() > 0 && ms >= 0) latency.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /**
     * A publication the dialect mapped onto messages to {@code connections} connections, each already counted as a
     * message out: that many deliveries, each with its latency from {@code timeMillis}.
     */
    public void fannedOut(Publication p, int connections) {
        if (connections <= 0) return;
        deliveries.add(connections);
        long ms = System.currentTimeMillis() - p.timeMillis();
        if (p.timeMillis() <= 0 || ms < 0) return;
        long nanos = TimeUnit.MILLISECONDS.toNanos(ms);
        for (int i = 0; i < connections; i++) latency.recordNanos(nanos);
    }

    /** A publication from history handed to a connection (a replay): a delivery, a message out, no latency. */
    public void replayed() {
        deliveries.increment();
        out.increment();
    }

    /** An acknowledgement from a client (a message in as well). */
    public void ackIn() {
        acksIn.increment();
        in.increment();
    }

    /** An acknowledgement to a client (a message out as well). */
    public void ackOut() {
        acksOut.increment();
        out.increment();
    }

    public void resumed() { resumes.increment(); }

    public void notRecovered() { notRecovered.increment(); }

    public void rateLimited() { rateLimited.increment(); }

    public void slowConsumerCutOff() { slowConsumers.increment(); }

    /** An error answered to a client, by its code ({@link ErrorCode} name or the dialect's own). */
    public void error(String code) {
        errors.computeIfAbsent(code == null ? "UNKNOWN" : code, c -> meters.counter("agentwire.errors",
                "errors answered to clients, by code", "dialect", dialect, "code", c)).increment();
    }
}
