package io.agentwire.server;

import static io.agentwire.agent.model.FakeOpenAi.system;
import static io.agentwire.agent.model.FakeOpenAi.text;
import static io.agentwire.agent.model.FakeOpenAi.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.agent.EverythingServer;
import io.agentwire.agent.model.FakeOpenAi;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 through the whole server, configured as a user configures it: {@code agentwire.mcp.servers} starts the real
 * server-everything over stdio, {@code agentwire.model} and {@code agentwire.models} point at fake SSE models; the
 * mesh's socket.io-client harness lists and executes the MCP tools and runs a loop with a model per phase.
 */
@Tag("integration")
class MeshMcpServerTest {
    @TempDir Path dir;

    /** Answers by phase: reasoning, a plan calling the MCP server's echo, reflection; {@code prefix} marks the model. */
    private static FakeOpenAi model(String prefix) throws Exception {
        return new FakeOpenAi().script(body -> {
            String sys = system(body);
            if (sys.contains("reasoning phase")) return text(prefix + "A greeting is due");
            if (sys.contains("planning phase")) {
                return text("{\"plan\": \"greet\", \"actions\": [{\"tool\": \"echo\", \"arguments\": {\"message\": \"hi\"}}]}");
            }
            return text(prefix + "The greeting worked");
        });
    }

    @Test
    void mcpToolsAndPerPhaseModelsFromTheConfiguration() throws Exception {
        try (FakeOpenAi main = model(""); FakeOpenAi deep = model("deep: "); FakeOpenAi fast = model("fast: ")) {
            String everything = "[{\"name\":\"everything\",\"command\":\"node\",\"args\":[\""
                    + EverythingServer.script().toString().replace("\\", "\\\\") + "\",\"stdio\"]}]";
            String models = "[{\"name\":\"deep\",\"base-url\":\"" + deep.baseUrl() + "\",\"model\":\"deep-1\"},"
                    + "{\"name\":\"fast\",\"base-url\":\"" + fast.baseUrl() + "\",\"model\":\"fast-1\",\"api-key\":\"sk-fast\"}]";
            Map<String, Object> flags = TestConfigs.local(dir);
            flags.putAll(Map.of("agentwire.mesh.domain-key", MeshServerTest.DOMAIN, "agentwire.mesh.enabled", true,
                    "agentwire.mesh.port", 0, "agentwire.rooms.enabled", false));
            AgentWireConfig config = AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET,
                    "AGENTWIRE_API_KEY", MeshServerTest.KEY, "AGENTWIRE_MODEL_BASE_URL", main.baseUrl(), "AGENTWIRE_MODEL_NAME", "main-1",
                    "AGENTWIRE_MCP_SERVERS", everything, "AGENTWIRE_MODELS", models), flags);
            try (AgentWireServer s = new AgentWireServer(config)) {
                s.start();
                MeshServerTest.run(s, "mcpTools", Map.of());
                MeshServerTest.run(s, "loopModels", Map.of());
            }
            assertThat(deep.requests()).extracting(b -> system(b).contains("reasoning phase")).containsOnly(true).isNotEmpty();
            assertThat(fast.requests()).extracting(b -> system(b).contains("planning phase")).containsOnly(true).isNotEmpty();
            assertThat(fast.authorizations()).contains("Bearer sk-fast");
            assertThat(main.requests()).extracting(b -> system(b).contains("reflection phase")).containsOnly(true).isNotEmpty();
            assertThat(user(main.requests().get(0))).as("the reflection saw the MCP tool's result").contains("Echo: hi");
        }
    }
}
