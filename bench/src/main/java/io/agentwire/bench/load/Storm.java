package io.agentwire.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

/**
 * (d) recovery storm: {@code --n} clients (5 000) receive events, all drop at once (TCP closed, no goodbye), stay
 * away {@code --away-ms} (3 000) while events go on, and all reconnect at once asking to resume.
 *
 * <p>Socket.IO ({@code sio}): a separate publisher broadcasts {@code --rate} (5) messages/s to the room; a client has
 * resumed once its CONNECT was answered with its old pid (recovered) and it holds every message published before the
 * storm began. Envelope ({@code env}): each client creates a session and starts a run of the scripted demo agent
 * (its events are the session's stream); a client has resumed at {@code system.notice RESUMED}, which follows the
 * replay of everything it missed. Both count, over each client's whole life, gaps and duplicates in its sequence
 * (broadcast seq / session seq), which must be 0.
 */
final class Storm {
    private static final String PAD = "x".repeat(100);

    private final LoadGen gen;
    private final List<Conn> clients = new ArrayList<>();
    // written by the main thread before the reconnects start, read on every loop
    private volatile boolean storming;
    private volatile long target;
    // counted on every loop (a few per client: no contention worth a tally per loop)
    private final LongAdder resumed = new LongAdder();
    private final AtomicLong lastResumed = new AtomicLong();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder runsDone = new LongAdder();
    private final LongAdder retries = new LongAdder();
    /** Why: the upgrade refused with an HTTP status, closed by the server after the upgrade, or no TCP connection. */
    private final LongAdder refused = new LongAdder();
    private final LongAdder closedAfterUpgrade = new LongAdder();
    private final LongAdder failedTcp = new LongAdder();
    /** Confined to the publisher's loop. */
    private long nextSeq = 1;
    private Conn publisher;

    Storm(LoadGen gen) {
        this.gen = gen;
    }

    void run() throws InterruptedException {
        int n = gen.intOption("n", 5000);
        boolean env = gen.proto == Proto.ENV;
        Conn.Listener listener = env ? envelopeListener() : socketIoListener();
        for (int i = 0; i < n; i++) clients.add(new Conn(i, gen.proto, listener));
        int ready = gen.loader.connectAll(clients, 500, 120_000_000_000L);
        gen.result("clients", ready);
        ScheduledFuture<?> ticker = null;
        if (!env) {
            publisher = new Conn(n, gen.proto, new Conn.Listener() { });
            gen.loader.connectAll(List.of(publisher), 1, 10_000_000_000L);
            int rate = gen.intOption("rate", 5); // 25 000 deliveries/s to 5 000 clients: below every server's capacity
            ticker = gen.loader.loop(publisher).scheduleAtFixedRate(() -> publisher.send(
                    Wire.publish(gen.proto, nextSeq++, gen.now(), PAD)), 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        }
        long minSeq = env ? 3 : 5;
        waitUntil(() -> gen.loader.sum(clients, c -> c.ready() && c.lastSeq < minSeq ? 1 : 0) == 0, 30);
        gen.loader.onEveryLoop(i -> { // all at once: each loop drops its own clients
            clients.stream().filter(c -> gen.loader.loopOf(c) == i).forEach(Conn::drop);
            return null;
        });
        LoadGen.sleepMillis(gen.intOption("away-ms", 3000));
        target = publisher == null ? 0 : gen.loader.onLoop(publisher, () -> nextSeq - 1);
        storming = true;
        long t0 = System.nanoTime();
        for (Conn c : clients) gen.loader.connect(c);
        boolean all = waitUntil(() -> resumed.sum() + notRecovered.sum() >= ready, 60);
        gen.result("resumed", resumed.sum());
        gen.result("not_recovered", notRecovered.sum());
        gen.result("all_resumed", all);
        gen.result("reconnect_retries", retries.sum());
        gen.result("reconnect_refused_by_http_status", refused.sum()); // e.g. 503: a handshake limit
        gen.result("reconnect_closed_after_upgrade", closedAfterUpgrade.sum()); // e.g. a pending session closed
        gen.result("reconnect_failed_tcp", failedTcp.sum());
        gen.result("seconds_until_all_resumed", all ? (lastResumed.get() - t0) / 1e9 : -1.0);
        if (env) {
            waitUntil(() -> runsDone.sum() >= ready, 60); // the runs go on to their end: the order check covers them whole
            gen.result("events_replayed", replayed.sum());
            gen.result("runs_completed", runsDone.sum());
        } else {
            long[] atDrop = gen.loader.values(clients, c -> c.lastSeqAtDrop);
            gen.result("missed_per_client_min", target - LongStream.of(atDrop).max().orElse(0));
            gen.result("missed_per_client_max", target - LongStream.of(atDrop).min().orElse(0));
            LoadGen.sleepMillis(1000);
            ticker.cancel(false);
            LoadGen.sleepMillis(500);
        }
        gen.result("events_received", gen.loader.sum(clients, c -> c.received));
        gen.result("gaps", gen.loader.sum(clients, c -> c.gaps));
        gen.result("duplicates", gen.loader.sum(clients, c -> c.duplicates));
        clients.forEach(Conn::drop);
        if (publisher != null) publisher.drop();
    }

    private Conn.Listener socketIoListener() {
        return new Conn.Listener() {
            @Override public void ready(Conn c, long nanos) {
                if (!storming) return;
                if (!c.recovered) {
                    notRecovered.increment();
                    c.resumedAt = -1;
                } else {
                    check(c);
                }
            }

            @Override public void message(Conn c, long seq, long sent, long now) {
                if (storming) check(c);
            }

            @Override public void closed(Conn c, boolean wasReady) {
                if (!storming) c.lastSeqAtDrop = c.lastSeq;
                else retry(c);
            }
        };
    }

    /**
     * A reconnect that failed (refused, closed before it resumed, timed out: a full accept queue) is tried again, as a
     * real client would; counted by why.
     */
    private void retry(Conn c) {
        if (storming && c.resumedAt == 0) {
            gen.loader.loop(c).schedule(() -> gen.loader.connect(c), 100 + c.index % 400, TimeUnit.MILLISECONDS);
            retries.increment();
            (c.refusedStatus > 0 ? refused : c.upgraded ? closedAfterUpgrade : failedTcp).increment();
        }
    }

    private void check(Conn c) {
        if (c.resumedAt == 0 && c.recovered && c.ready() && c.lastSeq >= target) resumedNow(c);
    }

    private void resumedNow(Conn c) {
        c.resumedAt = System.nanoTime();
        resumed.increment();
        lastResumed.accumulateAndGet(c.resumedAt, Math::max);
    }

    private Conn.Listener envelopeListener() {
        return new Conn.Listener() {
            @Override public void envelope(Conn c, JsonNode msg) {
                switch (msg.path("event").asText()) {
                    case "agent.session_created" -> c.send("{\"event\":\"user.message\",\"content\":{\"text\":\"bench\"}}");
                    case "system.connected" -> {
                        if (c.sessionId == null) c.send("{\"event\":\"user.create_session\"}");
                    }
                    case "system.notice" -> {
                        if (storming && "RESUMED".equals(msg.path("content").path("code").asText()) && c.resumedAt == 0) {
                            resumedNow(c);
                            replayed.add(msg.path("metadata").path("replayed").asLong());
                        }
                    }
                    case "error.recovery_failed", "agent.state_exported" -> {
                        if (storming && c.resumedAt == 0) {
                            notRecovered.increment();
                            c.resumedAt = -1;
                        }
                    }
                    case "pipeline.completed" -> runsDone.increment();
                    default -> { }
                }
            }

            @Override public void closed(Conn c, boolean wasReady) {
                retry(c);
            }
        };
    }

    /** Polls {@code condition} (on this thread: it reads counters, or asks the loops) until true or the deadline. */
    private boolean waitUntil(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            LoadGen.sleepMillis(20);
        }
        return false;
    }
}
