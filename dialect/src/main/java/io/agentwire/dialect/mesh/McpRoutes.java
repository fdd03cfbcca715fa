package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.McpTools;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configured MCP servers' tools on the mesh (the core {@link McpTools} port, absent when no MCP server is
 * configured): each listed by its own name with {@code provider} = the server's name, {@code category} = {@code mcp},
 * {@code providerType} = {@code mcp}; a name two servers share is the first server's, the later one's is
 * {@code <server>__<tool>}. An execution calls the server, each attempt bounded by the timeout, retried on a timeout
 * or a failure; cancelling the returned future abandons the MCP request in flight.
 */
final class McpRoutes {
    private final Optional<McpTools> port;
    private final Map<String, Tools.Tool> byName;

    McpRoutes(Optional<McpTools> port) {
        this.port = port;
        Map<String, Tools.Tool> names = new LinkedHashMap<>();
        port.ifPresent(p -> p.tools().forEach(t -> {
            String name = names.containsKey(t.name()) ? t.server() + "__" + t.name() : t.name();
            names.putIfAbsent(name, new Tools.Tool(name, t.description(), t.inputSchema(), "mcp", t.server(), null, t.name()));
        }));
        this.byName = Collections.unmodifiableMap(names);
    }

    /** The MCP tools by their mesh name, in the servers' order. */
    Map<String, Tools.Tool> byName() {
        return byName;
    }

    /** Runs an MCP tool; the outcome's output is the tool's text. */
    CompletableFuture<Tools.Outcome> execute(Tools.Tool t, ObjectNode args, long timeoutMs, int retries) {
        CompletableFuture<Tools.Outcome> out = new CompletableFuture<>();
        AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();
        out.whenComplete((o, e) -> { // done or cancelled: nothing stays in flight
            CompletableFuture<?> c = current.get();
            if (c != null) c.cancel(true);
        });
        attempt(t, args, timeoutMs, retries, 1, out, current);
        return out;
    }

    private void attempt(Tools.Tool t, ObjectNode args, long timeoutMs, int retriesLeft, int n,
                         CompletableFuture<Tools.Outcome> out, AtomicReference<CompletableFuture<?>> current) {
        if (out.isDone()) return;
        CompletableFuture<McpTools.Result> call = port.orElseThrow().call(t.provider(), t.mcpName(), args, Duration.ofMillis(timeoutMs));
        current.set(call);
        if (out.isDone()) call.cancel(true);
        call.whenComplete((r, e) -> {
            if (out.isDone()) return;
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null && r.success()) {
                out.complete(new Tools.Outcome(true, Json.MAPPER.getNodeFactory().textNode(r.output()), null, n));
            } else if (retriesLeft > 0) {
                attempt(t, args, timeoutMs, retriesLeft - 1, n + 1, out, current);
            } else {
                String error = cause == null ? r.output() : cause instanceof TimeoutException
                        ? "tool " + t.name() + " timed out after " + timeoutMs + " ms (" + n + " attempt" + (n > 1 ? "s" : "") + ")"
                        : String.valueOf(cause.getMessage());
                out.complete(new Tools.Outcome(false, Json.MAPPER.nullNode(), error, n));
            }
        });
    }
}
