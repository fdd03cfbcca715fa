package io.agentwire.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private boolean storming;
    private long stormStart;
    private long target;
    private long resumed;
    private long lastResumed;
    private long notRecovered;
    private long replayed;
    private long runsDone;
    private long retries;
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
            ticker = gen.loader.loop().scheduleAtFixedRate(() -> publisher.send(
                    Wire.publish(gen.proto, nextSeq++, gen.now(), PAD)), 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        }
        long minSeq = env ? 3 : 5;
        waitUntil(() -> clients.stream().allMatch(c -> !c.ready() || c.lastSeq >= minSeq), 30);
        gen.loader.onLoop(() -> {
            clients.forEach(Conn::drop);
            return null;
        });
        LoadGen.sleepMillis(gen.intOption("away-ms", 3000));
        long t0 = gen.loader.onLoop(() -> {
            storming = true;
            target = nextSeq - 1;
            stormStart = System.nanoTime();
            return stormStart;
        });
        for (Conn c : clients) gen.loader.connect(c);
        boolean all = waitUntil(() -> resumed + notRecovered >= ready, 60);
        long[] snap = gen.loader.onLoop(() -> new long[] {resumed, lastResumed, notRecovered, target});
        gen.result("resumed", snap[0]);
        gen.result("not_recovered", snap[2]);
        gen.result("all_resumed", all);
        gen.result("reconnect_retries", gen.loader.onLoop(() -> retries));
        gen.result("seconds_until_all_resumed", all ? (snap[1] - t0) / 1e9 : -1.0);
        if (env) {
            waitUntil(() -> runsDone >= ready, 60); // the runs go on to their end: the order check covers them whole
            gen.result("events_replayed", gen.loader.onLoop(() -> replayed));
            gen.result("runs_completed", gen.loader.onLoop(() -> runsDone));
        } else {
            long[] atDrop = gen.loader.onLoop(() -> clients.stream().mapToLong(c -> c.lastSeqAtDrop).sorted().toArray());
            gen.result("missed_per_client_min", snap[3] - atDrop[atDrop.length - 1]);
            gen.result("missed_per_client_max", snap[3] - atDrop[0]);
            LoadGen.sleepMillis(1000);
            ticker.cancel(false);
            LoadGen.sleepMillis(500);
        }
        gen.result("events_received", gen.loader.onLoop(() -> clients.stream().mapToLong(c -> c.received).sum()));
        gen.result("gaps", gen.loader.onLoop(() -> clients.stream().mapToLong(c -> c.gaps).sum()));
        gen.result("duplicates", gen.loader.onLoop(() -> clients.stream().mapToLong(c -> c.duplicates).sum()));
        clients.forEach(Conn::drop);
        if (publisher != null) publisher.drop();
    }

    private Conn.Listener socketIoListener() {
        return new Conn.Listener() {
            @Override public void ready(Conn c, long nanos) {
                if (!storming) return;
                if (!c.recovered) {
                    notRecovered++;
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

    /** A reconnect that failed (refused, timed out: a full accept queue) is tried again, as a real client would. */
    private void retry(Conn c) {
        if (storming && c.resumedAt == 0) {
            gen.loader.loop().schedule(() -> gen.loader.connect(c), 100 + c.index % 400, TimeUnit.MILLISECONDS);
            retries++;
        }
    }

    private void check(Conn c) {
        if (c.resumedAt == 0 && c.recovered && c.ready() && c.lastSeq >= target) {
            c.resumedAt = System.nanoTime();
            resumed++;
            lastResumed = c.resumedAt;
        }
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
                            c.resumedAt = System.nanoTime();
                            resumed++;
                            lastResumed = c.resumedAt;
                            replayed += msg.path("metadata").path("replayed").asLong();
                        }
                    }
                    case "error.recovery_failed", "agent.state_exported" -> {
                        if (storming && c.resumedAt == 0) {
                            notRecovered++;
                            c.resumedAt = -1;
                        }
                    }
                    case "pipeline.completed" -> runsDone++;
                    default -> { }
                }
            }

            @Override public void closed(Conn c, boolean wasReady) {
                retry(c);
            }
        };
    }

    private boolean waitUntil(java.util.concurrent.Callable<Boolean> condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (gen.loader.onLoop(condition)) return true;
            LoadGen.sleepMillis(20);
        }
        return false;
    }
}
