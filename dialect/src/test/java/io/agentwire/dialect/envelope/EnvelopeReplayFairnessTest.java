package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.HistoryConfig;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (6): one user's replays may not starve everyone else. Five connections of alice resume a 1 177-event
 * session from seq 0 over and over, within the rate limit, and read everything; meanwhile bob's
 * {@code user.create_session} must stay within a generous factor of its latency on the idle server, measured in the
 * same test (medians, so one slow sample on a loaded machine does not decide).
 */
class EnvelopeReplayFairnessTest {
    private static final int EVENTS = 1_177;
    private static final int REPLAYERS = 5;
    @TempDir Path dir;

    /** A client that counts what it receives without parsing it (the load must come from the server's side). */
    private static final class Counter implements WebSocket.Listener {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong resumed = new AtomicLong();

        @Override public void onOpen(WebSocket w) { w.request(1); }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            if (last) messages.incrementAndGet();
            if (data.length() < 2_000 && data.toString().contains("\"RESUMED\"")) resumed.incrementAndGet();
            w.request(1);
            return null;
        }
    }

    private static long medianCreateMillis(Client bob, int samples) throws InterruptedException {
        long[] t = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            bob.newSession();
            t[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }
        Arrays.sort(t);
        return t[samples / 2];
    }

    @Test
    void anotherUsersCommandsStayFastWhileOneUserReplaysALongSessionOverAndOver() throws Exception {
        // a window of 100 events: the replays of 1 177 come from the durable log, as for any session older than it
        Harness.Settings settings = Harness.Settings.defaults()
                .withHistory(new HistoryConfig(100, Duration.ofSeconds(60), Duration.ofMinutes(10)));
        try (Harness server = new Harness(dir, settings)) {
            String sid;
            try (Client alice = Client.connect(server.uri("alice"))) {
                sid = alice.createSession();
            }
            List<CompletableFuture<?>> stored = new ArrayList<>();
            for (int i = 2; i <= EVENTS; i++) {
                stored.add(server.node.publish("session:" + sid, EnvelopeCodec.envelope("agent.partial_result", sid, null,
                        JsonNodeFactory.instance.objectNode().put("text", "x".repeat(200) + i), JsonNodeFactory.instance.objectNode())));
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            try (Client bob = Client.connect(server.uri("bob"))) {
                bob.await("system.connected");
                medianCreateMillis(bob, 5); // warm up
                long idle = medianCreateMillis(bob, 15);

                AtomicBoolean running = new AtomicBoolean(true);
                List<Counter> counters = new ArrayList<>();
                List<WebSocket> sockets = new ArrayList<>();
                List<Thread> senders = new ArrayList<>();
                String reconnect = "{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":0}}";
                for (int i = 0; i < REPLAYERS; i++) {
                    Counter c = new Counter();
                    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                            .buildAsync(server.uri("alice"), c).get(10, TimeUnit.SECONDS);
                    counters.add(c);
                    sockets.add(ws);
                    senders.add(Thread.ofPlatform().daemon().start(() -> {
                        while (running.get()) { // 40/s: under the connection's rate limit of 50/s
                            try {
                                ws.sendText(reconnect, true).get(5, TimeUnit.SECONDS);
                                Thread.sleep(25);
                            } catch (Exception e) {
                                return;
                            }
                        }
                    }));
                }
                try {
                    // the load is on once alice's replays complete (bounded wait: a loaded machine is slow to start)
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (counters.stream().mapToLong(c -> c.resumed.get()).sum() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    long resumedBefore = counters.stream().mapToLong(c -> c.resumed.get()).sum();
                    long loaded = medianCreateMillis(bob, 15);
                    long resumed = counters.stream().mapToLong(c -> c.resumed.get()).sum();
                    System.out.printf("replay fairness: bob create_session median %d ms idle, %d ms while alice replays"
                            + " (alice resumed %d times, %d messages)%n", idle, loaded, resumed,
                            counters.stream().mapToLong(c -> c.messages.get()).sum());
                    assertThat(resumedBefore).as("alice's replays are running").isPositive();
                    // before the fix: bob's commands waited behind alice's replays for seconds (> 20 s here)
                    assertThat(loaded).as("bob's median create_session under alice's replays (idle: %d ms)", idle)
                            .isLessThanOrEqualTo(Math.max(20 * idle, idle + 1_000));
                } finally {
                    running.set(false);
                    for (Thread t : senders) t.join(5_000);
                    sockets.forEach(WebSocket::abort);
                }
            }
        }
    }
}
