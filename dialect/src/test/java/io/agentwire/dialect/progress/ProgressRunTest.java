package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.DemoAgent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed runs end the turn cleanly; session memory outlives a restart (the durable stream on SQLite). */
@Tag("integration")
class ProgressRunTest {
    @TempDir Path dir;

    @Test
    void aFailingAgentIsAnErrorThenQueryCompleteWithSuccessFalseAndTheTurnStillEnds() throws Exception {
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST.withAgent(FailingAgent.NAME),
                DemoAgent.NAME, Optional.empty())) {
            JsonNode r = h.js("once", "454", Map.of());
            assertThat(ProgressSocketTest.names(r.path("got"))).containsExactly("agent_event:planning_query",
                    "agent_event:error", "error", "query_complete", "session_memory", "tool_count");
            JsonNode got = r.path("got");
            assertThat(got.get(1).path("payload").path("data").path("error").asText()).isEqualTo("the model is down");
            assertThat(got.get(2).path("payload").path("message").asText()).isEqualTo("the model is down");
            JsonNode qc = got.get(3).path("payload");
            assertThat(qc.path("success").asBoolean()).isFalse();
            assertThat(qc.path("response").asText()).isEqualTo("the model is down");
            assertThat(qc.path("metadata").path("tool_name").isNull()).isTrue();
            assertThat(qc.path("metadata").path("synthesized").asBoolean()).isFalse();
            // the real system stores the error text as the assistant's message
            assertThat(got.get(4).path("payload").path("messages").get(1).path("content").asText()).isEqualTo("the model is down");
            java.util.Map<String, Number> metrics = new java.util.TreeMap<>();
            h.dialect.metrics(new io.agentwire.dialect.spi.DialectMetrics() {
                @Override public void gauge(String name, String help, java.util.function.DoubleSupplier v) {
                    metrics.put(name, v.getAsDouble());
                }
                @Override public void counter(String name, String help, java.util.function.LongSupplier v) {
                    metrics.put(name, v.getAsLong());
                }
            });
            assertThat(metrics).containsEntry("agentwire.progress.queries", 1L)
                    .containsEntry("agentwire.progress.queries.failed", 1L)
                    .containsEntry("agentwire.progress.queries.completed", 0L)
                    .containsEntry("agentwire.progress.queries.running", 0.0);
            assertThat(h.dialect.readiness()).containsKey("progress");
            assertThat(h.dialect.readiness().get("progress").getAsBoolean()).isTrue();
            io.agentwire.dialect.spi.Bound bound = new io.agentwire.dialect.spi.Bound() {
                @Override public int port(io.agentwire.dialect.spi.Listener.Address a) { return h.port; }
                @Override public String mainHost() { return "127.0.0.1"; }
            };
            assertThat(h.dialect.banner(bound, null)).singleElement().satisfies(line -> {
                assertThat(line.label()).isEqualTo("progress");
                assertThat(line.value()).startsWith("http://127.0.0.1:" + h.port + "/socket.io/ (Socket.IO, spec 001)");
            });
        }
    }

    @Test
    void anAgentThatDoesNotExistIsAnErrorThenQueryCompleteWithSuccessFalse() throws Exception {
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST.withAgent("no-such-agent"),
                DemoAgent.NAME, Optional.empty())) {
            JsonNode r = h.js("once", "48", Map.of());
            assertThat(ProgressSocketTest.names(r.path("got")))
                    .containsExactly("error", "query_complete", "session_memory", "tool_count");
            assertThat(r.path("got").get(0).path("payload").path("message").asText()).contains("no-such-agent");
            assertThat(r.path("got").get(1).path("payload").path("success").asBoolean()).isFalse();
        }
    }

    @Test
    void aConfirmationTheProgressApiCanNotAskIsApprovedAtOnce() throws Exception {
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST.withAgent(ConfirmingAgent.NAME),
                DemoAgent.NAME, Optional.empty())) {
            JsonNode r = h.js("once", "48", Map.of());
            assertThat(ProgressSocketTest.names(r.path("got")))
                    .containsExactly("agent_event:complete", "query_complete", "session_memory", "tool_count");
            assertThat(r.path("got").get(1).path("payload").path("response").asText()).isEqualTo("answer: {\"approved\":true}");
        }
    }

    @Test
    void sessionMemoryOutlivesARestart() throws Exception {
        String sid;
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST, DemoAgent.NAME, Optional.empty())) {
            sid = h.js("once", "48", Map.of("prompt", "remember me")).path("sid").asText();
        }
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST, DemoAgent.NAME, Optional.empty())) {
            JsonNode m = ProgressRestTest.get(h, "/api/session/" + sid + "/messages").json().path("messages");
            assertThat(m).hasSize(2);
            assertThat(List.of(m.get(0).path("role").asText(), m.get(0).path("content").asText(),
                    m.get(1).path("role").asText())).containsExactly("user", "remember me", "assistant");
            assertThat(m.get(1).path("message_index").asInt()).isEqualTo(1);
        }
    }
}
