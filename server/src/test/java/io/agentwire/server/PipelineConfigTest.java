package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.agent.RetryPolicy;
import io.agentwire.agent.mcp.McpServerConfig;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.pipeline.PipelineConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agentwire.model, agentwire.mcp and agentwire.agents.pipeline: defaults, the default agent, files, env, errors. */
class PipelineConfigTest {
    @TempDir Path dir;

    private static AgentWireConfig load(Map<String, String> env) {
        return AgentWireConfig.load(null, env, Map.of("agentwire.dev", true));
    }

    @Test
    void withoutAModelTheDemoStaysTheDefault() {
        AgentWireConfig c = load(Map.of());
        assertThat(c.pipeline()).isEqualTo(PipelineSettings.DEFAULT);
        assertThat(c.agents().defaultAgent()).isEqualTo("demo");
        assertThat(c.pipeline().pipeline()).isEqualTo(PipelineConfig.defaults());
    }

    @Test
    void aModelMakesThePipelineTheDefaultAgent() {
        AgentWireConfig c = load(Map.of("AGENTWIRE_MODEL_BASE_URL", "http://localhost:11434/v1", "AGENTWIRE_MODEL_NAME", "llama3.1",
                "AGENTWIRE_MODEL_API_KEY", "sk-secret-key"));
        assertThat(c.agents().defaultAgent()).isEqualTo("pipeline");
        ModelConfig m = c.pipeline().model().orElseThrow();
        assertThat(m.baseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
        assertThat(m.chatCompletions()).isEqualTo(URI.create("http://localhost:11434/v1/chat/completions"));
        assertThat(m.model()).isEqualTo("llama3.1");
        assertThat(m.apiKey()).contains("sk-secret-key");
        assertThat(m.retry()).isEqualTo(RetryPolicy.ENVELOPE);
        assertThat(m.responseTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.toString()).doesNotContain("sk-secret-key");
    }

    @Test
    void anExplicitDefaultAgentWins() {
        AgentWireConfig c = load(Map.of("AGENTWIRE_MODEL_BASE_URL", "http://localhost:8000/v1", "AGENTWIRE_MODEL_NAME", "qwen",
                "AGENTWIRE_AGENTS_DEFAULT", "demo"));
        assertThat(c.agents().defaultAgent()).isEqualTo("demo");
    }

    @Test
    void theFileTakesMcpServersAndPipelineSettings() throws Exception {
        AgentWireConfig c = TestConfigs.devWithFile(dir, """
                agentwire.model { base-url = "https://api.openai.com/v1", name = gpt-4o-mini, response-timeout = 30s,
                                  retry { max-attempts = 3, initial-delay = 500ms } }
                agentwire.mcp.servers = [
                  {name = fs, command = npx, args = ["-y", "@modelcontextprotocol/server-filesystem", "/srv"], env {DEBUG = "1"}},
                  {name = web, url = "http://localhost:3001/mcp"}
                ]
                agentwire.agents.pipeline { confirm-plan = false, max-iterations = 3, solver-timeout = 2m }
                """, Map.of());
        assertThat(c.pipeline().mcpServers()).containsExactly(
                McpServerConfig.stdio("fs", "npx", List.of("-y", "@modelcontextprotocol/server-filesystem", "/srv"), Map.of("DEBUG", "1")),
                McpServerConfig.http("web", URI.create("http://localhost:3001/mcp")));
        assertThat(c.pipeline().pipeline()).isEqualTo(new PipelineConfig(false, Duration.ofSeconds(60), 5, 3, Duration.ofMinutes(2)));
        ModelConfig m = c.pipeline().model().orElseThrow();
        assertThat(m.retry()).isEqualTo(RetryPolicy.of(3, Duration.ofMillis(500)));
        assertThat(m.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.apiKey()).isEqualTo(Optional.empty());
    }

    @Test
    void theEnvironmentTakesMcpServersAsJson() {
        AgentWireConfig c = load(Map.of("AGENTWIRE_MCP_SERVERS", "[{\"name\":\"web\",\"url\":\"http://127.0.0.1:3001/mcp\"}]"));
        assertThat(c.pipeline().mcpServers()).containsExactly(McpServerConfig.http("web", URI.create("http://127.0.0.1:3001/mcp")));
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODEL_BASE_URL", "http://localhost:8000/v1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agentwire.model.name (AGENTWIRE_MODEL_NAME) is required with agentwire.model.base-url");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODEL_BASE_URL", "ftp://x/v1", "AGENTWIRE_MODEL_NAME", "m")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("agentwire.model.base-url").hasMessageContaining("http(s)");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_AGENTS_DEFAULT", "pipeline")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("agentwire.agents.default = pipeline needs a model");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MCP_SERVERS", "[{\"name\":\"x\"}]")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agentwire.mcp.servers[0]: MCP server x needs exactly one of command (stdio) and url (streamable HTTP)");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MCP_SERVERS", "[{\"name\":\"x\",\"url\":\"http://h/mcp\",\"cmd\":\"y\"}]")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("agentwire.mcp.servers[0].cmd: unknown key");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MCP_SERVERS", "not a list")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("agentwire.mcp.servers: must be a list");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_AGENTS_PIPELINE_MAX_ITERATIONS", "0")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("agentwire.agents.pipeline.max-iterations");
    }
}
