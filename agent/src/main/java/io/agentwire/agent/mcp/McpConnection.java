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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected MCP server: its SDK client (async, so a call can be abandoned), its tools, and whether it is alive:
 * a stdio server's process is watched ({@link ProcessWatch}), and when it exits — at start or later — what waits
 * on it fails at once (the SDK would only time it out). A streamable HTTP server's failures surface as failed calls.
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

    private final ProcessWatch watch;

    private McpConnection(McpServerConfig config, McpAsyncClient client, List<McpSchema.Tool> tools, ProcessWatch watch) {
        this.config = config;
        this.client = client;
        this.tools = tools;
        this.watch = watch;
    }

    private static void await(CompletableFuture<?> f, Duration timeout) {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("no answer to initialize within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage() == null ? e.getCause().toString() : e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** The server's process exited: its calls in flight fail at once, and later ones too. */
    private void exited() {
        alive = false;
        if (!closed.get()) log.warn("MCP server {} exited; its tool calls fail until the server is restarted", config.name());
        for (CompletableFuture<McpSchema.CallToolResult> call : inFlight) {
            call.completeExceptionally(new IllegalStateException("the MCP server " + config.name() + " exited"));
        }
    }

    static McpConnection open(McpServerConfig config, Duration startTimeout, Duration callTimeout) {
        McpClientTransport transport = transport(config);
        ProcessWatch watch = transport instanceof StdioClientTransport stdio ? new ProcessWatch(config.name(), stdio) : null;
        McpAsyncClient client = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation(CLIENT_NAME, "1"))
                // the SDK's limit for every request, initialize included; the toolbox enforces the call timeout itself
                .requestTimeout(callTimeout.compareTo(startTimeout) > 0 ? callTimeout : startTimeout)
                .initializationTimeout(startTimeout)
                .build();
        try {
            CompletableFuture<McpSchema.InitializeResult> init = client.initialize().toFuture();
            if (watch != null) {
                watch.exited().thenRun(() -> init.completeExceptionally(new IllegalStateException("the process exited")));
            }
            await(init, startTimeout);
            List<McpSchema.Tool> tools = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = client.listTools(cursor).block(startTimeout);
                if (page == null) break;
                tools.addAll(page.tools());
                cursor = page.nextCursor();
            } while (cursor != null);
            McpConnection connection = new McpConnection(config, client, List.copyOf(tools), watch);
            if (watch != null) watch.exited().thenRun(connection::exited);
            return connection;
        } catch (RuntimeException e) {
            if (watch != null) watch.stop();
            client.close();
            throw new McpStartException(config.name(), "could not be started (" + config.describe() + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
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
        if (watch != null) watch.stop();
        try {
            client.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("MCP server {} did not close gracefully", config.name(), e);
            client.close();
        }
    }
}
