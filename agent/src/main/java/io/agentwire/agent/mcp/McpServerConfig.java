package io.agentwire.agent.mcp;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One MCP server whose tools agents may call: a subprocess spoken to over stdio ({@code command}, {@code args},
 * {@code env}), or a streamable HTTP endpoint ({@code url}). Exactly one of {@code command} and {@code url}.
 * Immutable; validated on construction.
 *
 * @param name the server's name, used in log lines and as the prefix of its tools' names: lower case letters,
 *     digits, {@code _} or {@code -}, at most 32
 * @param command the program to start (stdio), or null
 * @param args its arguments
 * @param env variables added to the subprocess's environment
 * @param url the streamable HTTP endpoint (for example {@code http://localhost:3001/mcp}), or null
 */
public record McpServerConfig(String name, String command, List<String> args, Map<String, String> env, URI url) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public McpServerConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("MCP server name must be 1-32 of a-z 0-9 _ - (starting with a letter or "
                    + "digit), was '" + name + "'");
        }
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        boolean stdio = command != null && !command.isBlank();
        if (stdio == (url != null)) {
            throw new IllegalArgumentException("MCP server " + name + " needs exactly one of command (stdio) and url "
                    + "(streamable HTTP)");
        }
        if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("MCP server " + name + ": url must be http(s), was " + url);
        }
        if (!stdio && (!args.isEmpty() || !env.isEmpty())) {
            throw new IllegalArgumentException("MCP server " + name + ": args and env are for a command (stdio)");
        }
    }

    /** A server started as a subprocess, spoken to over its stdin/stdout. */
    public static McpServerConfig stdio(String name, String command, List<String> args, Map<String, String> env) {
        return new McpServerConfig(name, command, args, env, null);
    }

    /** A server reached over streamable HTTP. */
    public static McpServerConfig http(String name, URI url) {
        return new McpServerConfig(name, null, List.of(), Map.of(), url);
    }

    public boolean isStdio() {
        return url == null;
    }

    /** Where the server is, for log lines (never the environment, which may hold secrets). */
    public String describe() {
        return isStdio() ? "stdio: " + command + (args.isEmpty() ? "" : " " + String.join(" ", args)) : "http: " + url;
    }

    @Override
    public String toString() {
        return "McpServerConfig[" + name + ", " + describe() + (env.isEmpty() ? "" : ", env=" + env.keySet()) + "]";
    }
}
