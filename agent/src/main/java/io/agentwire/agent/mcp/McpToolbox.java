package io.agentwire.agent.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunCancelledException;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools of the configured MCP servers, through the official MCP Java SDK: each server is connected and
 * initialized at start, its tools listed, and each tool offered to models as an OpenAI function tool named
 * {@code <server>__<tool>}. {@link #call} runs a tool and always returns a {@link ToolOutcome}: a failure is an
 * outcome, never an exception, except the run's cancellation, which abandons the MCP request at once (the SDK
 * has no {@code notifications/cancelled}; the server's late answer is dropped) and throws
 * {@link RunCancelledException}. Thread-safe: calls from many runs at once share the connections.
 */
public final class McpToolbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpToolbox.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_NAME = 64;

    private record Tool(McpConnection server, McpSchema.Tool tool) { }

    private final List<McpConnection> servers;
    private final Map<String, Tool> tools;
    private final Duration callTimeout;
    private final LongAdder calls = new LongAdder();
    private final LongAdder failedCalls = new LongAdder();

    private McpToolbox(List<McpConnection> servers, Map<String, Tool> tools, Duration callTimeout) {
        this.servers = servers;
        this.tools = tools;
        this.callTimeout = callTimeout;
    }

    /** No servers, no tools. */
    public static McpToolbox empty() {
        return new McpToolbox(List.of(), Map.of(), Duration.ofSeconds(1));
    }

    /**
     * Connects to every server and lists its tools; on any failure closes what it opened and throws.
     *
     * @param startTimeout how long one server may take to start, initialize and list its tools
     * @param callTimeout how long one tool call may take (past it: a {@code TIMEOUT} outcome)
     * @throws McpStartException naming the server that could not be started
     */
    public static McpToolbox start(List<McpServerConfig> configs, Duration startTimeout, Duration callTimeout) {
        List<McpConnection> servers = new ArrayList<>();
        Map<String, Tool> tools = new LinkedHashMap<>();
        try {
            for (McpServerConfig config : configs) {
                McpConnection server = McpConnection.open(config, startTimeout, callTimeout);
                servers.add(server);
                for (McpSchema.Tool tool : server.tools()) {
                    String name = exposedName(config.name(), tool.name());
                    if (tools.putIfAbsent(name, new Tool(server, tool)) != null) {
                        throw new McpStartException(config.name(), "two tools are exposed as " + name, null);
                    }
                }
                log.info("MCP server {} ready ({}): {} tools", config.name(), config.describe(), server.tools().size());
            }
        } catch (RuntimeException e) {
            servers.forEach(McpConnection::close);
            throw e;
        }
        return new McpToolbox(List.copyOf(servers), Map.copyOf(tools), callTimeout);
    }

    /** The name a model calls a tool by: {@code <server>__<tool>}, other characters than [A-Za-z0-9_-] as {@code _}. */
    static String exposedName(String server, String tool) {
        String name = (server + "__" + tool).replaceAll("[^A-Za-z0-9_-]", "_");
        return name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    }

    /** The names the tools are offered by, in order. */
    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    public boolean isEmpty() {
        return tools.isEmpty();
    }

    /** The tools as the {@code tools} array of a chat completions request. */
    public ArrayNode openAiTools() {
        ArrayNode out = JSON.arrayNode();
        tools.forEach((name, t) -> {
            ObjectNode fn = out.addObject().put("type", "function").putObject("function").put("name", name);
            String description = t.tool().description() != null ? t.tool().description() : t.tool().title();
            if (description != null) fn.put("description", description);
            Map<String, Object> schema = t.tool().inputSchema();
            fn.set("parameters", schema == null ? JSON.objectNode().put("type", "object") : MAPPER.valueToTree(schema));
        });
        return out;
    }

    /**
     * Calls a tool by its exposed name.
     *
     * @param arguments the arguments as the model wrote them (JSON text of an object)
     * @param ctx the run: cancelling it abandons the call
     * @throws RunCancelledException if the run is cancelled during the call
     */
    public ToolOutcome call(String name, String arguments, AgentContext ctx) {
        calls.increment();
        ToolOutcome outcome = invoke(name, arguments, ctx);
        if (outcome.isError()) failedCalls.increment();
        return outcome;
    }

    /** The tools as the core {@link io.agentwire.core.McpTools} port (what the server hands dialects). */
    public io.agentwire.core.McpTools port() {
        return new McpToolPort(this);
    }

    /** Counts a call made through the port. */
    void counted(boolean failed) {
        calls.increment();
        if (failed) failedCalls.increment();
    }

    /** Tool calls made (cancelled ones included). */
    public long calls() {
        return calls.sum();
    }

    /** Tool calls that failed. */
    public long failedCalls() {
        return failedCalls.sum();
    }

    /** Servers whose connection is up (a stdio server whose process exited is down). */
    public int serversAlive() {
        return (int) servers.stream().filter(McpConnection::alive).count();
    }

    private ToolOutcome invoke(String name, String arguments, AgentContext ctx) {
        Tool tool = tools.get(name);
        if (tool == null) return ToolOutcome.failed("no tool named " + name + " (tools: " + String.join(", ", tools.keySet()) + ")");
        Map<String, Object> args;
        try {
            args = arguments == null || arguments.isBlank() ? Map.of()
                    : MAPPER.readValue(arguments, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return ToolOutcome.failed("the arguments are not a JSON object: " + e.getOriginalMessage());
        }
        CompletableFuture<McpSchema.CallToolResult> call = tool.server().call(tool.tool().name(), args);
        try (AgentContext.Registration abandon = ctx.onCancel(() -> call.cancel(true))) {
            McpSchema.CallToolResult result = call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = text(result);
            return Boolean.TRUE.equals(result.isError()) ? ToolOutcome.failed(text) : ToolOutcome.ok(text);
        } catch (InterruptedException | CancellationException e) {
            call.cancel(true);
            throw new RunCancelledException(ctx.runId());
        } catch (TimeoutException e) {
            call.cancel(true);
            log.warn("MCP tool call timed out run={} tool={} after {} ms", ctx.runId(), name, callTimeout.toMillis());
            return ToolOutcome.timedOut("the tool did not answer within " + callTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (ctx.cancelled()) throw new RunCancelledException(ctx.runId());
            Throwable cause = e.getCause();
            log.warn("MCP tool call failed run={} tool={}: {}", ctx.runId(), name, cause.toString());
            return ToolOutcome.failed("the tool call failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getMessage()));
        }
    }

    /** The result's text content, joined; other content named by type; structured content when there is no text. */
    static String text(McpSchema.CallToolResult result) {
        StringBuilder out = new StringBuilder();
        if (result.content() != null) {
            for (McpSchema.Content c : result.content()) {
                if (!out.isEmpty()) out.append('\n');
                if (c instanceof McpSchema.TextContent t) out.append(t.text());
                else out.append('[').append(c.type()).append(" content]");
            }
        }
        if (out.isEmpty() && result.structuredContent() != null) {
            out.append(MAPPER.valueToTree(result.structuredContent()).toString());
        }
        return out.toString();
    }

    /** Closes every connection (stdio servers are stopped). */
    @Override
    public void close() {
        servers.forEach(McpConnection::close);
    }

    /** The connection behind a server name, for tests and health. */
    List<McpConnection> servers() {
        return servers;
    }
}
