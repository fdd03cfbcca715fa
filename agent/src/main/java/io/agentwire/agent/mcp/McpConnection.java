package io.agentwire.agent.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected MCP server: its SDK client (async, so a call can be abandoned), its tools, and whether it is alive:
 * a stdio server's process is watched, and when it exits its calls in flight fail at once (the SDK would only
 * time them out). A streamable HTTP server's failures surface as failed calls.
 */
final class McpConnection {
    private static final Logger log = LoggerFactory.getLogger(McpConnection.class);
    static final String CLIENT_NAME = "agentwire";

    private final McpServerConfig config;
    private final McpAsyncClient client;
    private final List<McpSchema.Tool> tools;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean alive = true;

    private final Set<CompletableFuture<McpSchema.CallToolResult>> inFlight = ConcurrentHashMap.newKeySet();

    private McpConnection(McpServerConfig config, McpAsyncClient client, List<McpSchema.Tool> tools) {
        this.config = config;
        this.client = client;
        this.tools = tools;
    }

    /** Watches a stdio server's process: when it exits, its calls in flight fail at once and later ones too. */
    private void watch(StdioClientTransport stdio) {
        Thread.ofVirtual().name("aw-mcp-" + config.name() + "-watch").start(() -> {
            try {
                stdio.awaitForExit();
            } catch (RuntimeException e) {
                return; // interrupted: we are closing
            }
            alive = false;
            if (!closed.get()) log.warn("MCP server {} exited; its tool calls fail until the server is restarted", config.name());
            for (CompletableFuture<McpSchema.CallToolResult> call : inFlight) {
                call.completeExceptionally(new IllegalStateException("the MCP server " + config.name() + " exited"));
            }
        });
    }

    static McpConnection open(McpServerConfig config, Duration startTimeout, Duration callTimeout) {
        McpClientTransport transport = transport(config);
        McpAsyncClient client = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation(CLIENT_NAME, "1"))
                .requestTimeout(callTimeout)
                .initializationTimeout(startTimeout)
                .build();
        try {
            client.initialize().block(startTimeout);
            List<McpSchema.Tool> tools = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = client.listTools(cursor).block(startTimeout);
                if (page == null) break;
                tools.addAll(page.tools());
                cursor = page.nextCursor();
            } while (cursor != null);
            McpConnection connection = new McpConnection(config, client, List.copyOf(tools));
            if (transport instanceof StdioClientTransport stdio) connection.watch(stdio);
            return connection;
        } catch (RuntimeException e) {
            client.close();
            Throwable cause = e.getCause() != null && e.getMessage() != null && e.getMessage().startsWith("java.") ? e.getCause() : e;
            throw new McpStartException(config.name(), "could not be started (" + config.describe() + "): "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), e);
        }
    }

    private static McpClientTransport transport(McpServerConfig config) {
        if (config.isStdio()) {
            ServerParameters params = ServerParameters.builder(config.command()).args(config.args()).env(config.env()).build();
            StdioClientTransport stdio = new StdioClientTransport(params, McpJsonDefaults.getMapper());
            stdio.setStdErrorHandler(line -> log.debug("MCP server {} stderr: {}", config.name(), line));
            return stdio;
        }
        URI url = config.url();
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String endpoint = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/mcp" : url.getRawPath();
        if (url.getRawQuery() != null) endpoint += "?" + url.getRawQuery();
        return HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).build();
    }

    String name() {
        return config.name();
    }

    List<McpSchema.Tool> tools() {
        return tools;
    }

    boolean alive() {
        return alive && !closed.get();
    }

    /** Starts a call; cancelling the future abandons it. A failure marks the server as possibly gone until one succeeds. */
    CompletableFuture<McpSchema.CallToolResult> call(String tool, Map<String, Object> arguments) {
        if (!alive()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the MCP server " + config.name() + " is not running"));
        }
        CompletableFuture<McpSchema.CallToolResult> call = client.callTool(new McpSchema.CallToolRequest(tool, arguments))
                .toFuture();
        inFlight.add(call);
        call.whenComplete((r, e) -> inFlight.remove(call));
        if (!alive) call.completeExceptionally(new IllegalStateException("the MCP server " + config.name() + " exited"));
        return call;
    }

    void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            client.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("MCP server {} did not close gracefully", config.name(), e);
            client.close();
        }
    }
}
