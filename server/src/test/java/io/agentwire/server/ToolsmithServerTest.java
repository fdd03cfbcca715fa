package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.ToolsmithModel;
import io.agentwire.agent.model.FakeOpenAi;
import io.agentwire.agent.toolsmith.SandboxLimits;
import io.agentwire.agent.toolsmith.ToolsmithConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolsmith agent through the whole server: registered with the model, chosen per run with
 * {@code metadata.agent = "toolsmith"}, its {@code toolsmith.*} events streamed over the envelope WebSocket (a
 * fake OpenAI-compatible model, the real embeddings, pytest and bubblewrap); and its configuration keys.
 */
@Tag("integration")
class ToolsmithServerTest {
    @TempDir Path dir;
    private FakeOpenAi fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAi().script(new ToolsmithModel()::answer);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private AgentWireConfig config(Map<String, String> env) {
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true);
        java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
        all.put("AGENTWIRE_MODEL_BASE_URL", fake.baseUrl());
        all.put("AGENTWIRE_MODEL_NAME", "fake-model");
        return AgentWireConfig.load(null, all, flags);
    }

    @Test
    void aToolsmithRunOverTheEnvelopeProtocol() throws Exception {
        AgentWireConfig config = config(Map.of());
        assertThat(config.pipeline().toolsmith().dataDir()).isEqualTo(dir.resolve("toolsmith"));
        try (AgentWireServer server = new AgentWireServer(config)) {
            int port = server.start();
            try (JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                ws.awaitEvent("system.connected");
                ws.send("{\"event\":\"user.create_session\",\"content\":{}}");
                String sessionId = ws.awaitEvent("agent.session_created").at("/content/session_id").asText();
                ws.send("{\"event\":\"user.message\",\"session_id\":\"" + sessionId + "\",\"content\":{\"text\":"
                        + "\"Convert 10 kilometers to miles\"},\"metadata\":{\"agent\":\"toolsmith\"}}");
                JsonNode end = ws.awaitEvent("pipeline.completed");
                assertThat(end.at("/metadata/status").asText()).as(ws.all.toString()).isEqualTo("completed");
                List<JsonNode> run = new ArrayList<>();
                for (JsonNode e : ws.all) if (e.has("seq") && e.at("/metadata/run_id").isTextual()) run.add(e);
                List<String> names = run.stream().map(e -> e.path("event").asText()).toList();
                assertThat(names).containsSubsequence("toolsmith.planning_query", "toolsmith.plan_complete",
                        "toolsmith.searching", "toolsmith.no_tool_found", "toolsmith.entering_synthesis_mode",
                        "toolsmith.synthesis_step", "toolsmith.synthesis_successful", "toolsmith.executing",
                        "toolsmith.execution_complete", "toolsmith.synthesizing_response", "agent.partial_answer",
                        "toolsmith.complete", "agent.final_answer", "pipeline.completed");
                for (int i = 1; i < run.size(); i++) {
                    assertThat(run.get(i).path("seq").asLong()).isEqualTo(run.get(i - 1).path("seq").asLong() + 1);
                }
                JsonNode found = run.stream().filter(e -> e.path("event").asText().equals("toolsmith.execution_complete"))
                        .findFirst().orElseThrow();
                assertThat(found.path("content").path("tool_name").asText()).isEqualTo("km_to_miles");
                assertThat(found.path("content").path("result").asText()).isEqualTo("6.21371");
            }
        }
        assertThat(dir.resolve("toolsmith/toolsmith.db")).exists();
        assertThat(dir.resolve("toolsmith/tools/km_to_miles.py")).exists();
    }

    @Test
    void itsSettingsAreRead() {
        AgentWireConfig c = config(Map.of("AGENTWIRE_TOOLSMITH_SANDBOX", "none", "AGENTWIRE_TOOLSMITH_LIMITS_MEMORY", "256MiB",
                "AGENTWIRE_TOOLSMITH_LIMITS_WALL_TIMEOUT", "5s", "AGENTWIRE_TOOLSMITH_SEARCH_THRESHOLD", "0.55",
                "AGENTWIRE_TOOLSMITH_PROMOTION_MIN_FREQUENCY", "5"));
        ToolsmithConfig t = c.pipeline().toolsmith();
        assertThat(t.sandbox()).isEqualTo(ToolsmithConfig.SandboxMode.NONE);
        assertThat(t.limits().memoryBytes()).isEqualTo(256L << 20);
        assertThat(t.limits().wallTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.limits().maxOutputBytes()).isEqualTo(SandboxLimits.defaults().maxOutputBytes());
        assertThat(t.searchThreshold()).isEqualTo(0.55);
        assertThat(t.promotion().minFrequency()).isEqualTo(5);
        assertThat(t.promotion().minConfidence()).isEqualTo(0.7);
        assertThatThrownBy(() -> config(Map.of("AGENTWIRE_TOOLSMITH_SANDBOX", "docker")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.toolsmith.sandbox: must be bwrap or none");
        assertThatThrownBy(() -> config(Map.of("AGENTWIRE_TOOLSMITH_SEARCH_THRESHOLD", "1.5")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.toolsmith.search-threshold");
        assertThat(AgentWireConfig.load(null, Map.of("AGENTWIRE_AGENTS_DEFAULT", "toolsmith", "AGENTWIRE_MODEL_BASE_URL",
                fake.baseUrl(), "AGENTWIRE_MODEL_NAME", "m"), Map.of("agentwire.dev", true)).agents().defaultAgent())
                .isEqualTo("toolsmith");
        assertThatThrownBy(() -> AgentWireConfig.load(null, Map.of("AGENTWIRE_AGENTS_DEFAULT", "toolsmith"),
                Map.of("agentwire.dev", true))).hasMessageContaining("toolsmith needs a model");
    }
}
