package io.agentwire.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The tools of the configured MCP servers as a dialect may offer them (e.g. the mesh dialect's {@code mcp:tool:list}
 * and {@code mcp:tool:call}, its control loops' actions). The server provides it through
 * {@code DialectContext.service(McpTools.class)} when MCP servers are configured and started; without one, dialects
 * have no MCP tools. Implementations never block the caller: a call runs on the MCP client's own threads.
 */
public interface McpTools {

    /**
     * One tool of one server.
     *
     * @param server the configured server's name ({@code agentwire.mcp.servers[].name})
     * @param name the tool's name as the server lists it
     * @param description its description (never null, may be empty)
     * @param inputSchema its JSON Schema for the arguments (a fresh object the caller may keep)
     */
    record Tool(String server, String name, String description, ObjectNode inputSchema) { }

    /**
     * A call's end: the tool's text, or its error text when the tool failed (an MCP {@code isError} result, a
     * server that is gone, arguments it refused).
     */
    record Result(boolean success, String output) { }

    /** Every tool of every server, in the servers' order. */
    List<Tool> tools();

    /**
     * Calls a tool. The future completes with the {@link Result}, or exceptionally with a
     * {@link java.util.concurrent.TimeoutException} past {@code timeout}; cancelling it abandons the call.
     */
    CompletableFuture<Result> call(String server, String tool, ObjectNode arguments, Duration timeout);
}
