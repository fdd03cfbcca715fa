package io.agentwire.server;

import static io.agentwire.agent.model.FakeOpenAi.hasToolResult;
import static io.agentwire.agent.model.FakeOpenAi.system;
import static io.agentwire.agent.model.FakeOpenAi.text;
import static io.agentwire.agent.model.FakeOpenAi.toolCalls;
import static io.agentwire.agent.model.FakeOpenAi.withUsage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.EverythingServer;
import io.agentwire.agent.model.FakeOpenAi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The pipeline agent through the whole server: configured by environment variables (a fake OpenAI-compatible model,
 * the real server-everything MCP server over stdio), driven by a client over the envelope WebSocket.
 */
@Tag("integration")
class PipelineServerTest {
    @TempDir Path dir;
    private FakeOpenAi fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAi().script(body -> {
            String sys = system(body);
            if (sys.contains("planner")) return text("{\"tasks\":[\"Echo the word hello\"]}");
            if (sys.contains("aggregator")) return withUsage(text("The tool said: Echo: hello"), 120, 7);
            return hasToolResult(body) ? text("It echoed hello.") : toolCalls("call_1", "everything__echo", "{\"message\":\"hello\"}");
        });
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Map<String, String> env(String mcpServers) {
        return Map.of("AGENTWIRE_MODEL_BASE_URL", fake.baseUrl(), "AGENTWIRE_MODEL_NAME", "fake-model",
                "AGENTWIRE_MODEL_API_KEY", "sk-e2e", "AGENTWIRE_MCP_SERVERS", mcpServers);
    }

    private AgentWireConfig config(Map<String, String> env) {
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true);
        return AgentWireConfig.load(null, env, flags);
    }

    private static String everything() {
        return "[{\"name\":\"everything\",\"command\":\"node\",\"args\":[\"" + EverythingServer.script().toString().replace("\\", "\\\\")
                + "\",\"stdio\"]}]";
    }

    @Test
    void aPipelineRunOverTheEnvelopeProtocol() throws Exception {
        AgentWireConfig config = config(env(everything()));
        assertThat(config.agents().defaultAgent()).isEqualTo("pipeline");
        try (AgentWireServer server = new AgentWireServer(config)) {
            int port = server.start();
            try (JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                ws.awaitEvent("system.connected");
                ws.send("{\"event\":\"user.create_session\",\"content\":{}}");
                String sessionId = ws.awaitEvent("agent.session_created").at("/content/session_id").asText();
                ws.send("{\"event\":\"user.message\",\"session_id\":\"" + sessionId + "\",\"content\":{\"text\":\"Say hello through the echo tool\"}}");
                JsonNode confirm = ws.awaitEvent("agent.user_confirm");
                ws.send("{\"event\":\"user.response\",\"session_id\":\"" + sessionId + "\",\"step_id\":\""
                        + confirm.path("step_id").asText() + "\",\"content\":{\"approved\":true}}");
                JsonNode end = ws.awaitEvent("pipeline.completed");
                assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");

                List<JsonNode> run = new ArrayList<>();
                for (JsonNode e : ws.all) if (e.has("seq") && e.at("/metadata/run_id").isTextual()) run.add(e);
                List<String> names = run.stream().map(e -> e.path("event").asText()).toList();
                assertThat(names.subList(0, 4)).containsExactly("plan.start", "plan.completed", "agent.user_confirm", "solver.start");
                assertThat(names).containsSubsequence("agent.tool_call", "agent.tool_result", "agent.partial_answer",
                        "solver.completed", "aggregate.start", "agent.partial_answer", "aggregate.completed",
                        "agent.final_answer", "pipeline.completed");
                for (int i = 1; i < run.size(); i++) {
                    assertThat(run.get(i).path("seq").asLong()).isEqualTo(run.get(i - 1).path("seq").asLong() + 1);
                }
                JsonNode result = run.stream().filter(e -> e.path("event").asText().equals("agent.tool_result")).findFirst().orElseThrow();
                assertThat(result.at("/content/result").asText()).isEqualTo("Echo: hello");
                assertThat(run.stream().filter(e -> e.path("event").asText().equals("agent.final_answer")).findFirst().orElseThrow()
                        .at("/content/text").asText()).isEqualTo("The tool said: Echo: hello");
            }
            assertThat(fake.authorizations()).isNotEmpty().allMatch("Bearer sk-e2e"::equals);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("agentwire_model_requests_total 4.0", "agentwire_mcp_tool_calls_total 1.0",
                    "agentwire_mcp_servers_alive 1.0");
            // the aggregator's answer reported its usage: the tokens are counted
            assertThat(metrics).contains("agentwire_model_tokens_prompt_total 120.0", "agentwire_model_tokens_completion_total 7.0");
        }
    }

    @Test
    void anMcpServerThatCanNotStartIsAStartupError() {
        AgentWireConfig config = config(env("[{\"name\":\"broken\",\"command\":\"node\",\"args\":[\"-e\",\"process.exit(2)\"]}]"));
        try (AgentWireServer server = new AgentWireServer(config)) {
            assertThatThrownBy(server::start).isInstanceOf(StartupException.class)
                    .hasMessage("MCP server broken: could not be started (stdio: node -e process.exit(2)): the process exited");
        }
    }
}
