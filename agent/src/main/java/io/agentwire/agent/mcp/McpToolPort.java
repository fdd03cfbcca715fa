package io.agentwire.agent.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.type.TypeReference;
import io.agentwire.core.McpTools;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link McpToolbox}'s servers as the core {@link McpTools} port: tools by server and name (not the toolbox's
 * {@code <server>__<tool>} model names), calls as futures on the SDK's threads. Cancelling a call's future, or its
 * timeout, abandons the MCP request as the toolbox does for a cancelled run. Calls count in the toolbox's metrics.
 */
final class McpToolPort implements McpTools {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final McpToolbox toolbox;

    McpToolPort(McpToolbox toolbox) {
        this.toolbox = toolbox;
    }

    @Override
    public List<Tool> tools() {
        List<Tool> out = new ArrayList<>();
        for (McpConnection server : toolbox.servers()) {
            for (McpSchema.Tool t : server.tools()) {
                String description = t.description() != null ? t.description() : t.title() != null ? t.title() : "";
                ObjectNode schema = t.inputSchema() == null ? MAPPER.createObjectNode().put("type", "object")
                        : MAPPER.valueToTree(t.inputSchema());
                out.add(new Tool(server.name(), t.name(), description, schema));
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
        McpConnection connection = toolbox.servers().stream().filter(s -> s.name().equals(server)).findFirst().orElse(null);
        if (connection == null) {
            return CompletableFuture.completedFuture(new Result(false, "no MCP server named " + server));
        }
        Map<String, Object> args = MAPPER.convertValue(arguments, new TypeReference<Map<String, Object>>() { });
        CompletableFuture<McpSchema.CallToolResult> call = connection.call(tool, args);
        CompletableFuture<Result> result = call.handle((r, e) -> e != null
                ? new Result(false, "the tool call failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))
                : new Result(!Boolean.TRUE.equals(r.isError()), McpToolbox.text(r)))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> {
            toolbox.counted(e != null || !r.success());
            if (e != null) call.cancel(true); // timed out or cancelled: abandon the request
        });
        return result;
    }
}
