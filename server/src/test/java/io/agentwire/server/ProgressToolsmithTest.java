package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.ToolsmithModel;
import io.agentwire.agent.model.FakeOpenAi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec 001's {@code AgentClient} class, as written, against the real toolsmith agent through the whole server: the
 * progress dialect serving {@code agentwire.progress.agent = toolsmith}, a fake OpenAI-compatible model
 * ({@link ToolsmithModel}), the real embeddings, pytest and bubblewrap. The query needs a new tool, so the client
 * sees the document's "Complete Event Flow" (with the real system's planning events before it).
 */
class ProgressToolsmithTest {
    /** Spec 001's "Complete Event Flow" for a query that needs a new tool. */
    static final List<String> FLOW = List.of("searching", "no_tool_found", "entering_synthesis_mode",
            "synthesis_step specification in_progress", "synthesis_step specification complete",
            "synthesis_step tests in_progress", "synthesis_step tests complete",
            "synthesis_step implementation in_progress", "synthesis_step implementation complete",
            "synthesis_step verification in_progress", "synthesis_step verification complete",
            "synthesis_step registration in_progress", "synthesis_step registration complete",
            "synthesis_successful", "executing", "execution_complete", "synthesizing_response", "complete");

    @TempDir Path dir;

    @Test
    void theDocumentsAgentClientSeesTheCompleteEventFlowOfARealToolsmithRun() throws Exception {
        try (FakeOpenAi fake = new FakeOpenAi().script(new ToolsmithModel()::answer)) {
            Map<String, Object> flags = ProgressServerTest.flags(dir);
            flags.put("agentwire.progress.agent", "toolsmith");
            Map<String, String> env = new HashMap<>();
            env.put("AGENTWIRE_MODEL_BASE_URL", fake.baseUrl());
            env.put("AGENTWIRE_MODEL_NAME", "fake-model");
            try (AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, env, flags))) {
                s.start();
                JsonNode r = ProgressServerTest.harness(s.port("progress"), "agentClient", "454",
                        Map.of("prompt", "Convert 10 kilometers to miles", "flowMs", 30_000));
                List<String> flow = new ArrayList<>();
                for (JsonNode e : r.path("flow").path("agent")) {
                    String t = e.path("event_type").asText();
                    if (t.equals("synthesis_step")) {
                        t += " " + e.path("data").path("step").asText() + " " + e.path("data").path("status").asText();
                    }
                    flow.add(t);
                }
                assertThat(flow.subList(0, 2)).containsExactly("planning_query", "plan_complete");
                assertThat(flow.subList(2, flow.size())).containsExactlyElementsOf(FLOW);
                JsonNode qc = r.path("flow").path("complete");
                assertThat(qc.path("success").asBoolean()).as(qc.toString()).isTrue();
                assertThat(qc.path("metadata").path("tool_name").asText()).isEqualTo("km_to_miles");
                assertThat(qc.path("metadata").path("synthesized").asBoolean()).isTrue();
                assertThat(qc.path("metadata").path("tool_result").asText()).contains("6.21371");
                assertThat(qc.path("response").asText()).isNotBlank();
                assertThat(r.path("flow").path("order").toString())
                        .isEqualTo("[\"query_complete\",\"session_memory\",\"tool_count\"]");
                // the registry the toolsmith wrote is the REST API's (through the ToolCatalog the server provides)
                JsonNode tools = restGet(s.port("progress"), "/api/tools");
                assertThat(tools.path("count").asInt()).isEqualTo(1);
                assertThat(tools.path("tools").get(0).path("name").asText()).isEqualTo("km_to_miles");
                assertThat(tools.path("tools").get(0).path("file_path").asText()).endsWith("km_to_miles.py");
                JsonNode one = restGet(s.port("progress"), "/api/tools/km_to_miles");
                assertThat(one.toString()).contains("def km_to_miles");
                assertThat(tools.path("tools").get(0).path("docstring").asText()).isEqualTo("Convert a distance in kilometers to miles.");
            }
        }
    }

    private static JsonNode restGet(int port, String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                        .timeout(java.time.Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JsonSocket.JSON.readTree(r.body());
    }
}
