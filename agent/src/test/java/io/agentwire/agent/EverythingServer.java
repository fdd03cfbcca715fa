package io.agentwire.agent;

import io.agentwire.agent.mcp.McpServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real MCP server the tests use: {@code @modelcontextprotocol/server-everything} from npm (installed under
 * agent/src/test/mcp by the build), run with {@code node}. It has {@code echo}, {@code get-sum} and
 * {@code trigger-long-running-operation} (progress, a chosen duration).
 */
public final class EverythingServer {
    private static final String SCRIPT = "src/test/mcp/node_modules/@modelcontextprotocol/server-everything/dist/index.js";

    private EverythingServer() { }

    /** The server's entry script, from the agent module or a sibling module's directory. */
    public static Path script() {
        for (Path p : List.of(Path.of(SCRIPT), Path.of("..", "agent", SCRIPT))) {
            if (Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
        }
        throw new IllegalStateException("server-everything is not installed: run npm ci in agent/src/test/mcp");
    }

    /** The server over stdio, named {@code name}. */
    public static McpServerConfig stdio(String name) {
        return McpServerConfig.stdio(name, "node", List.of(script().toString(), "stdio"), Map.of());
    }
}
