package io.agentwire.agent.mcp;

/** An MCP server could not be started, initialized or asked for its tools. The message names the server. */
public class McpStartException extends RuntimeException {
    private final String server;

    public McpStartException(String server, String problem, Throwable cause) {
        super("MCP server " + server + ": " + problem, cause);
        this.server = server;
    }

    public String server() {
        return server;
    }
}
