package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.DemoAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients written from spec 001: its {@code AgentClient} class and "Complete Event Flow" in Node (socket.io-client
 * 4.5.4 and 4.8), a page in headless Chromium served through {@code static-dir}, and {@code require-token}.
 */
@Tag("integration")
class ProgressClientTest {
    /** Spec 001's "Complete Event Flow" for a query that needs a new tool. */
    static final List<String> FLOW = List.of("searching", "no_tool_found", "entering_synthesis_mode",
            "synthesis_step specification in_progress", "synthesis_step specification complete",
            "synthesis_step tests in_progress", "synthesis_step tests complete",
            "synthesis_step implementation in_progress", "synthesis_step implementation complete",
            "synthesis_step verification in_progress", "synthesis_step verification complete",
            "synthesis_step registration in_progress", "synthesis_step registration complete",
            "synthesis_successful", "executing", "execution_complete", "synthesizing_response", "complete");

    @TempDir Path dir;

    static List<String> flow(JsonNode agentEvents) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : agentEvents) {
            String t = e.path("event_type").asText();
            if (t.equals("synthesis_step")) {
                t += " " + e.path("data").path("step").asText() + " " + e.path("data").path("status").asText();
            }
            out.add(t);
        }
        return out;
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"454", "48"})
    void theDocumentsAgentClientSeesTheCompleteEventFlowOfAToolsmithRun(String v) throws Exception {
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST, ScriptedToolsmith.NAME, Optional.empty())) {
            JsonNode r = h.js("agentClient", v, Map.of());
            assertThat(r.path("immediate").asText()).isEqualTo("No active session"); // the document's Usage, as written
            assertThat(flow(r.path("flow").path("agent"))).containsExactlyElementsOf(FLOW);
            assertThat(ProgressSocketTest.texts(r.path("flow").path("order")))
                    .containsExactly("query_complete", "session_memory", "tool_count");
            JsonNode qc = r.path("flow").path("complete");
            assertThat(qc.path("success").asBoolean()).isTrue();
            assertThat(qc.path("response").asText()).isEqualTo("The average sales are 42.5.");
            assertThat(qc.path("metadata").path("tool_name").asText()).isEqualTo("calculate_average_sales");
            assertThat(qc.path("metadata").path("synthesized").asBoolean()).isTrue();
            assertThat(qc.path("metadata").path("tool_result").asText()).isEqualTo("42.5");
            assertThat(qc.path("session_id").asText()).isEqualTo(r.path("sessionId").asText());
            assertThat(r.path("flow").path("memory").path("messages")).hasSize(2);
            List<String> logs = ProgressSocketTest.texts(r.path("logs"));
            assertThat(logs).contains("Connected to agent");
            assertThat(logs).anyMatch(l -> l.startsWith("Session created: "));
            assertThat(logs).anyMatch(l -> l.startsWith("[synthesis_step] {\"step\":\"registration\",\"status\":\"complete\"}"));
            assertThat(logs).anyMatch(l -> l.startsWith("Query complete: "));
        }
    }

    @Test
    void theDocumentsAgentClientAlsoRunsAgainstTheDemoAgent() throws Exception {
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST, DemoAgent.NAME, Optional.empty())) {
            JsonNode r = h.js("agentClient", "454", Map.of());
            assertThat(flow(r.path("flow").path("agent"))).containsExactlyElementsOf(ProgressSocketTest.DEMO);
            assertThat(r.path("flow").path("complete").path("success").asBoolean()).isTrue();
        }
    }

    @Test
    void aPageWrittenFromTheDocumentRunsInHeadlessChromiumThroughStaticDir() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.copy(ProgressHarness.JS.resolve("site").resolve("index.html"), site.resolve("index.html"));
        Files.copy(ProgressHarness.JS.resolve("node_modules").resolve("sio454").resolve("dist").resolve("socket.io.min.js"),
                site.resolve("socket.io.min.js"));
        try (ProgressHarness h = new ProgressHarness(Files.createDirectories(dir.resolve("data")),
                ProgressSettings.TEST.withStaticDir(site), DemoAgent.NAME, Optional.empty())) {
            JsonNode r = h.node("browser.mjs", "page", "454", Map.of(), Duration.ofSeconds(60));
            assertThat(ProgressSocketTest.texts(r.path("events"))).containsExactlyElementsOf(ProgressSocketTest.DEMO);
            assertThat(r.path("success").asText()).isEqualTo("true");
            assertThat(r.path("answer").asText()).contains("scripted demo");
            assertThat(ProgressSocketTest.texts(r.path("memory"))).hasSize(2)
                    .first().asString().isEqualTo("user: Calculate profit margins from data/ecommerce_products.csv");
            assertThat(r.path("errors")).isEmpty();
            assertThat(r.path("tools").asText()).isEqualTo("0");
            assertThat(r.path("session").asText()).matches("[0-9a-f-]{36}");
            assertThat(ProgressSocketTest.texts(r.path("console"))).contains("Connected to agent");
        }
    }

    @Test
    void requireTokenRefusesAClientWithoutOneAndTheApiWantsItToo() throws Exception {
        try (ProgressHarness h = new ProgressHarness(dir, ProgressSettings.TEST.withRequireToken(true), DemoAgent.NAME,
                Optional.empty())) {
            JsonNode r = h.js("token", "48", Map.of("token", ProgressHarness.TOKEN));
            assertThat(r.path("refused").asText()).isEqualTo("Authentication required");
            assertThat(r.path("connected").asBoolean()).isTrue();
            assertThat(ProgressRestTest.call(h, "POST", "/api/session", null, Map.of()).status()).isEqualTo(401);
            assertThat(ProgressRestTest.call(h, "POST", "/api/session", null,
                    Map.of("Authorization", "Bearer " + ProgressHarness.TOKEN)).status()).isEqualTo(200);
        }
    }
}
