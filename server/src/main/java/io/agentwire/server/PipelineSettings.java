package io.agentwire.server;

import io.agentwire.agent.Durations;
import io.agentwire.agent.mcp.McpServerConfig;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.pipeline.PipelineConfig;
import io.agentwire.agent.toolsmith.ToolsmithConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The model, the MCP servers and the pipeline agent ({@code agentwire.model}, {@code agentwire.mcp},
 * {@code agentwire.agents.pipeline}; docs/agents.md). Immutable; validated on construction.
 *
 * @param model the model, if one is configured; without one the pipeline agent is not registered
 * @param mcpServers the MCP servers whose tools the pipeline agent offers (unique names)
 * @param mcpStartTimeout how long one MCP server may take to start and list its tools
 * @param mcpCallTimeout how long one tool call may take
 * @param pipeline the pipeline agent's settings
 * @param toolsmith the toolsmith agent's settings ({@code agentwire.toolsmith}; its data under
 *     {@code <data-dir>/toolsmith})
 * @param models the named models besides the default one ({@code agentwire.models}), by name
 */
public record PipelineSettings(Optional<ModelConfig> model, List<McpServerConfig> mcpServers, Duration mcpStartTimeout,
                               Duration mcpCallTimeout, PipelineConfig pipeline, ToolsmithConfig toolsmith,
                               Map<String, ModelConfig> models) {
    public static final PipelineSettings DEFAULT = new PipelineSettings(Optional.empty(), List.of(),
            Duration.ofSeconds(30), Duration.ofSeconds(120), PipelineConfig.defaults(),
            ToolsmithConfig.defaults(Path.of("./data", "toolsmith")), Map.of());

    public PipelineSettings {
        Objects.requireNonNull(model, "model");
        mcpServers = List.copyOf(mcpServers);
        Durations.positive("MCP start timeout", mcpStartTimeout);
        Durations.positive("MCP call timeout", mcpCallTimeout);
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(toolsmith, "toolsmith");
        models = Map.copyOf(models);
        Set<String> names = new HashSet<>();
        for (McpServerConfig s : mcpServers) {
            if (!names.add(s.name())) throw new IllegalArgumentException("two MCP servers are named " + s.name());
        }
    }
}
