package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input is answered as envelope.md says, and never disturbs anyone else: each test runs a bystander's
 * complete demo run while the bad client misbehaves, and checks that run is whole.
 */
@Tag("integration")
class EnvelopeBadInputTest {
    @TempDir Path dir;
    Harness server;
    Client bystander;
    CompletableFuture<List<JsonNode>> bystanderRun;

    @BeforeEach
    void start() throws Exception {
        server = new Harness(dir, Harness.Settings.defaults()
                .withEnvelope(new EnvelopeConfig("/ws", Duration.ofSeconds(30), Duration.ofSeconds(60), 1 << 20, 50, 100, "demo"))
                .withDemo(new io.agentwire.agent.DemoAgentConfig(Duration.ofMillis(15), false, Duration.ofSeconds(30))));
        bystander = Client.connect(server.uri("bystander"));
        String sid = bystander.createSession();
        bystander.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "Keep working")));
        bystanderRun = CompletableFuture.supplyAsync(() -> {
            try {
                return bystander.collectUntil("pipeline.completed");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void bystanderWasUndisturbed() {
        List<JsonNode> run = bystanderRun.join();
        List<Long> seqs = new ArrayList<>();
        for (JsonNode n : bystander.all) if (n.has("seq")) seqs.add(n.get("seq").asLong());
        for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(i + 1L);
        assertThat(run.get(run.size() - 1).path("metadata").path("status").asText()).isEqualTo("completed");
        assertThat(bystander.all).noneMatch(n -> n.path("event").asText().startsWith("error."));
        bystander.close();
        server.close();
    }

    private static String code(JsonNode error) {
        return error.path("metadata").path("code").asText();
    }

    @Test
    void malformedMessagesGetValidationErrorsAndTheConnectionStaysUsable() throws Exception {
        try (Client bad = Client.connect(server.uri("mallory"))) {
            bad.await("system.connected");
            String[][] cases = {
                    {"{not json", "INVALID_JSON", ""},
                    {"[1,2]", "INVALID_MESSAGE", ""},
                    {"{\"content\":{}}", "MISSING_FIELD", "event"},
                    {"{\"event\":\"user.dance\"}", "UNKNOWN_EVENT", "event"},
                    {"{\"event\":\"plan.start\"}", "UNKNOWN_EVENT", "event"},
                    {"{\"event\":7}", "INVALID_FIELD", "event"},
                    {"{\"event\":\"user.message\",\"session_id\":5}", "INVALID_FIELD", "session_id"},
                    {"{\"event\":\"user.message\",\"content\":\"text\"}", "INVALID_FIELD", "content"},
                    {"{\"event\":\"user.message\",\"metadata\":[]}", "INVALID_FIELD", "metadata"},
                    {"{\"event\":\"user.message\",\"content\":{\"text\":\"hi\"}}", "SESSION_REQUIRED", "session_id"},
                    {"{\"event\":\"user.reconnect\"}", "MISSING_FIELD", "session_id"},
                    {"{\"event\":\"user.reconnect\",\"session_id\":\"s\",\"content\":{\"last_seq\":\"x\"}}", "INVALID_FIELD", "content.last_seq"},
                    {"{\"event\":\"user.create_session\",\"content\":{\"metadata\":5}}", "INVALID_FIELD", "content.metadata"},
            };
            for (String[] c : cases) {
                bad.send(c[0]);
                JsonNode err = bad.await("error.validation");
                assertThat(code(err)).as(c[0]).isEqualTo(c[1]);
                assertThat(err.path("metadata").path("field").asText("")).as(c[0]).isEqualTo(c[2]);
                assertThat(err.path("content").path("message").asText()).as(c[0]).isNotBlank();
                assertThat(err.has("seq")).isFalse();
            }
            String sid = bad.newSession(); // still usable
            bad.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", 42)));
            JsonNode err = bad.await("error.validation");
            assertThat(code(err)).isEqualTo("INVALID_FIELD");
            assertThat(err.path("metadata").path("field").asText()).isEqualTo("content.text");
        }
    }

    @Test
    void aFrameOverTheMaximumPayloadClosesWith1009() throws Exception {
        try (Client bad = Client.connect(server.uri("mallory"))) {
            bad.await("system.connected");
            String tenMegabytes = "{\"event\":\"user.message\",\"content\":{\"text\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}}";
            bad.ws.sendText(tenMegabytes, true);
            assertThat(bad.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() throws Exception {
        try (Client bad = Client.connect(server.uri("mallory"))) {
            bad.await("system.connected");
            bad.sendBinary(new byte[] {1, 2, 3});
            assertThat(bad.awaitClose()).isEqualTo(1003);
        }
    }

    @Test
    void aFloodIsRateLimitedWithRetryAfterAndTheConnectionSurvives() throws Exception {
        try (Client bad = Client.connect(server.uri("mallory"))) {
            bad.await("system.connected");
            long start = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                bad.send("{\"event\":\"user.export_state\"}"); // each one processed is answered SESSION_REQUIRED
                long due = start + (i + 1) * 1_000_000L; // 1 000 messages per second
                while (System.nanoTime() < due) Thread.onSpinWait();
            }
            JsonNode limited = bad.await("error.rate_limited");
            assertThat(code(limited)).isEqualTo("RATE_LIMITED");
            assertThat(limited.path("metadata").path("retry_after_ms").asLong()).isPositive();
            Thread.sleep(1_500);
            long answered = bad.all.stream().filter(n -> "SESSION_REQUIRED".equals(code(n))).count();
            long notices = bad.all.stream().filter(n -> n.path("event").asText().equals("error.rate_limited")).count();
            long dropped = bad.all.stream().filter(n -> n.path("event").asText().equals("error.rate_limited"))
                    .mapToLong(n -> n.path("metadata").path("dropped").asLong()).sum();
            assertThat(answered).as("at most the burst plus the sustained rate got through").isLessThan(400);
            assertThat(notices).as("notices are coalesced, not one per dropped message").isLessThan(10);
            assertThat(answered + dropped).isLessThanOrEqualTo(1_000);
            // after the pause the connection works normally
            bad.send(Client.envelope("user.create_session"));
            assertThat(bad.await("agent.session_created").get("seq").asLong()).isEqualTo(1);
        }
    }
}
