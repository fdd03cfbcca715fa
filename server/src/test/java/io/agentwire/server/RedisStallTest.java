package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (4): a real redis-server is SIGSTOPped mid-run (its connections stay open, it answers nothing), then
 * SIGCONTed. Within seconds /readyz answers 503 and the client's connection is closed 1011; the run whose events
 * could not be published ends — agent.error and pipeline.completed failed, stored once Redis answers again — so a
 * client that comes back finds it ended.
 */
@Tag("integration")
class RedisStallTest {
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private int ready(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long within(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - t0 > limit.toNanos()) throw new AssertionError(what + " not within " + limit);
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static JsonSocket client(int port) throws InterruptedException {
        JsonSocket c = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.hs256("alice")));
        c.awaitEvent("system.connected");
        return c;
    }

    @Test
    void aStalledRedisTurnsReadinessOffClosesClientsAndEndsTheRunsOnceItIsBack() throws Exception {
        try (RedisServer redis = RedisServer.start();
             AgentWireServer s = new AgentWireServer(TestConfigs.production(dir, "stall-test-api-key-0123456789abcdef",
                     Map.of("agentwire.cluster.redis", redis.uri(), "agentwire.tracking.enabled", false,
                             "agentwire.agents.demo.step-delay", "300ms", "agentwire.agents.demo.confirm-plan", false)))) {
            int port = s.start();
            assertThat(ready(port)).isEqualTo(200);
            String sid;
            long lastSeq;
            try (JsonSocket c = client(port)) {
                c.send("{\"event\":\"user.create_session\",\"content\":{}}");
                sid = c.awaitEvent("agent.session_created").path("session_id").asText();
                c.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"plan a trip\"}}");
                lastSeq = c.awaitEvent("agent.thinking").path("seq").asLong(); // the run is under way
                redis.pause(); // for 10 s, as in the report: longer than the command timeout, so the run's publish fails
                long pausedAt = System.nanoTime();
                try {
                    long notReady = within(Duration.ofSeconds(6), () -> ready(port) == 503, "/readyz 503");
                    int code = c.closed.get(8, TimeUnit.SECONDS);
                    System.out.printf("redis stall: /readyz 503 after %d ms, client closed %d%n", notReady, code);
                    assertThat(code).isEqualTo(1011);
                    Thread.sleep(Math.max(0, 10_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt)));
                } finally {
                    redis.resume();
                }
            }
            within(Duration.ofSeconds(20), () -> ready(port) == 200, "/readyz 200 again");
            // the run ended: its end was stored once Redis answered again
            try (JsonSocket c = client(port)) {
                JsonNode completed = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (completed == null && System.nanoTime() < deadline) {
                    c.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":" + lastSeq + "}}");
                    c.awaitEvent("system.notice"); // RESUMED, after the replay
                    completed = c.all.stream().filter(n -> n.path("event").asText().equals("pipeline.completed"))
                            .findFirst().orElse(null);
                    if (completed == null) Thread.sleep(500);
                }
                assertThat(completed).as("pipeline.completed stored after the stall").isNotNull();
                assertThat(completed.path("metadata").path("status").asText()).isEqualTo("failed");
                List<JsonNode> errors = c.all.stream().filter(n -> n.path("event").asText().equals("agent.error")).toList();
                assertThat(errors).isNotEmpty();
                assertThat(errors.get(0).path("metadata").path("code").asText()).isIn("BROKER_UNAVAILABLE", "STORE_UNAVAILABLE", "TIMEOUT");
                c.send("{\"event\":\"user.export_state\",\"session_id\":\"" + sid + "\"}");
                JsonNode state = c.awaitEvent("agent.state_exported").path("content").path("state");
                assertThat(state.toString()).doesNotContain("\"status\":\"running\"");
            }
        }
    }
}
