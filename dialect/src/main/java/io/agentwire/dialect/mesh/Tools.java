package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.McpTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tools over the mesh socket. An agent registers a tool ({@code mcp:tool:register}: name, description, JSON Schema,
 * category) and serves its calls itself: an execution ({@code mcp:tool:execute}, real {@code mcp:tool:call}) is
 * checked (the tool exists, the caller's key allows it, the arguments fit the schema — {@link Schemas}), then sent to
 * the provider's socket as {@code mcp:tool:invoke {callId, toolName, arguments, fromAgentId}} with an
 * acknowledgement, which it answers with {@code {success, output, error?}} within {@code options.timeout}
 * (default 30 s), retried {@code options.retries} times on a timeout or a failure. The configured MCP servers' tools
 * (the core {@link McpTools} port) are listed and executed alongside, through {@link McpRoutes}. A provider offline, or gone during
 * the call, is {@code AGENT_NOT_FOUND} at once. {@link #execute(String, String, JsonNode, long, int)} is the same
 * path for the server's own callers (control loops).
 */
final class Tools {
    private static final Logger log = LoggerFactory.getLogger(Tools.class);
    static final long DEFAULT_TIMEOUT_MS = 30_000;
    static final long MAX_TIMEOUT_MS = 300_000;
    static final int MAX_RETRIES = 5;

    /**
     * A tool: an agent's ({@code socketId} of the registering socket) or an MCP server's ({@code provider} the
     * server's name, {@code mcpName} the tool's name on it; {@code socketId} null).
     */
    record Tool(String name, String description, ObjectNode inputSchema, String category, String provider, String socketId,
                String mcpName) {
        boolean mcp() {
            return mcpName != null;
        }

        ObjectNode toJson() {
            ObjectNode o = Json.obj().put("name", name).put("description", description);
            o.set("inputSchema", inputSchema);
            o.put("category", category).put("provider", provider).put("providerType", mcp() ? "mcp" : "agent");
            return o;
        }
    }

    /** An execution's outcome: the provider's output, or its error (a failure, a timeout after the retries). */
    record Outcome(boolean success, JsonNode output, String error, int attempts) { }

    private final MeshDialect d;
    private final Map<String, Tool> tools = new ConcurrentHashMap<>();
    private final McpRoutes mcp;

    Tools(MeshDialect d) {
        this.d = d;
        this.mcp = new McpRoutes(d.context.service(McpTools.class));
    }

    void register() {
        d.on("mcp:tool:register", "mcp", RateLimits.Category.NONE, MeshDialect.Vocab.EITHER, this::registerTool);
        d.on("mcp:tool:list", "mcp", RateLimits.Category.NONE, MeshDialect.Vocab.EITHER, this::list);
        d.on("mxf:tool:list", "mcp", RateLimits.Category.NONE, MeshDialect.Vocab.REAL, this::list);
        d.on("mcp:tool:execute", "mcp", RateLimits.Category.TOOL_EXECUTIONS, MeshDialect.Vocab.EITHER, this::execute);
        d.on("mcp:tool:call", "mcp", RateLimits.Category.TOOL_EXECUTIONS, MeshDialect.Vocab.REAL, this::execute);
    }

    Optional<Tool> find(String name) {
        Tool t = tools.get(name);
        return t != null ? Optional.of(t) : Optional.ofNullable(mcp.byName().get(name));
    }

    /** The MCP servers' tools, then the agents' (by name). */
    List<Tool> all() {
        List<Tool> out = new ArrayList<>(mcp.byName().values());
        tools.values().stream().sorted(Comparator.comparing(Tool::name)).forEach(out::add);
        return out;
    }

    private void registerTool(Call c) throws Refusal {
        String agentId = c.member.agentId();
        if (agentId == null) throw Refusal.of("PERMISSION_DENIED", "only an agent can register a tool (agent:register first)");
        String name = Json.text(c.data, "name") != null ? Json.text(c.data, "name") : Json.text(c.data, "toolName");
        if (name == null || !name.matches("[A-Za-z0-9_.:-]{1,128}")) {
            throw Refusal.invalid("name", "'name' is required: 1 to 128 letters, digits, '_', '.', ':' or '-'");
        }
        String description = Optional.ofNullable(Json.text(c.data, "description")).orElse("");
        JsonNode schema = c.data.get("inputSchema");
        String problem = Schemas.problem(schema);
        if (problem != null) throw Refusal.invalid("inputSchema", problem);
        String category = Optional.ofNullable(Json.text(c.data, "category")).orElse("agent");
        Tool served = mcp.byName().get(name);
        if (served != null) throw Refusal.of("PERMISSION_DENIED", "tool " + name + " is provided by MCP server " + served.provider());
        Tool t = new Tool(name, description, (ObjectNode) schema.deepCopy(), category, agentId, c.member.socket.id(), null);
        Tool before = tools.compute(name, (k, old) -> old == null || old.provider().equals(agentId) || !online(old.provider()) ? t : old);
        if (before != t) throw Refusal.of("PERMISSION_DENIED", "tool " + name + " is provided by agent " + before.provider());
        log.debug("mesh: agent {} registered tool {}", agentId, name);
        ObjectNode real = Json.obj().put("toolName", name).put("description", description);
        real.set("inputSchema", t.inputSchema());
        real.set("registrationDetails", Json.obj().put("category", category).put("provider", agentId).put("registeredAt", c.now));
        c.reply("mcp:tool:registered", t.toJson(), "mcp:tool:registered", real);
    }

    private void list(Call c) {
        JsonNode filter = c.data.path("filter").isObject() ? c.data.get("filter") : c.data;
        String category = Json.text(filter, "category");
        String provider = Json.text(filter, "provider");
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Tool t : all()) {
            if (category != null && !category.equals(t.category())) continue;
            if (provider != null && !provider.equals(t.provider()) && !provider.equals(t.toJson().path("providerType").asText())) continue;
            out.add(t.toJson());
        }
        if (!c.real) { // the document: mcp:tool:list:response with the array itself
            c.member.socket.emit("mcp:tool:list:response", out);
            c.ok(Json.obj().set("tools", out));
            return;
        }
        ObjectNode result = Json.obj();
        String requestId = Json.text(c.data, "requestId");
        if (requestId != null) result.put("requestId", requestId);
        result.set("tools", out);
        c.reply(null, null, c.event + ":result", result);
    }

    private void execute(Call c) throws Refusal {
        String toolName = c.required("toolName");
        String callId = Optional.ofNullable(Json.text(c.data, "callId")).orElse(UUID.randomUUID().toString());
        JsonNode args = c.data.has("arguments") ? c.data.get("arguments") : Json.obj();
        JsonNode options = c.data.path("options");
        long timeout = DEFAULT_TIMEOUT_MS;
        int retries = 0;
        if (options.has("timeout")) {
            if (!options.get("timeout").isIntegralNumber() || options.get("timeout").asLong() < 1 || options.get("timeout").asLong() > MAX_TIMEOUT_MS) {
                throw Refusal.invalid("options.timeout", "'options.timeout' must be milliseconds between 1 and " + MAX_TIMEOUT_MS);
            }
            timeout = options.get("timeout").asLong();
        }
        if (options.has("retries")) {
            if (!options.get("retries").isIntegralNumber() || options.get("retries").asInt() < 0 || options.get("retries").asInt() > MAX_RETRIES) {
                throw Refusal.invalid("options.retries", "'options.retries' must be an integer between 0 and " + MAX_RETRIES);
            }
            retries = options.get("retries").asInt();
        }
        allowed(c.member, toolName);
        execute(c.member.subject(), toolName, args, timeout, retries).whenComplete((o, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                c.fail("mcp", cause instanceof Refusal r ? r : Refusal.of("INTERNAL_ERROR", "Server error"));
                return;
            }
            ObjectNode spec = Json.obj().put("callId", callId).put("toolName", toolName).put("success", o.success());
            spec.set("output", o.output());
            if (!o.success()) spec.put("error", o.error());
            spec.put("attempts", o.attempts());
            ObjectNode real = Json.obj().put("toolName", toolName).put("callId", callId);
            if (o.success()) real.set("result", o.output()); else real.put("error", o.error());
            c.reply("mcp:tool:result", spec, o.success() ? "mcp:tool:result" : "mcp:tool:error", real);
        });
    }

    /** The caller's key, when it lists {@code allowedTools}, must name the tool. */
    void allowed(Member m, String toolName) throws Refusal {
        if (m.keyId == null) return;
        List<String> allowed = d.state.key(m.keyId).map(MeshState.AgentKey::allowedTools).orElse(null);
        if (allowed != null && !allowed.contains(toolName)) {
            throw Refusal.of("PERMISSION_DENIED", "this agent's key does not allow tool " + toolName);
        }
    }

    /**
     * Runs a tool for {@code caller}: an unknown tool or arguments off its schema fail (a {@link Refusal}) before
     * anything is sent; then the provider is asked, each attempt bounded by {@code timeoutMs}.
     */
    CompletableFuture<Outcome> execute(String caller, String toolName, JsonNode args, long timeoutMs, int retries) {
        Tool t = find(toolName).orElse(null);
        try {
            if (t == null) throw Refusal.invalid("toolName", "Tool with name " + toolName + " does not exist");
            if (!args.isObject()) throw Refusal.invalid("arguments", "'arguments' must be an object");
            Schemas.validate(t.inputSchema(), args, "arguments");
        } catch (Refusal r) {
            return CompletableFuture.failedFuture(r);
        }
        return t.mcp() ? mcp.execute(t, (ObjectNode) args, timeoutMs, retries) : attempt(t, caller, args, timeoutMs, retries, 1);
    }

    private CompletableFuture<Outcome> attempt(Tool t, String caller, JsonNode args, long timeoutMs, int retriesLeft, int n) {
        Optional<Member> provider = providerSocket(t);
        if (provider.isEmpty()) {
            return CompletableFuture.failedFuture(Refusal.of("AGENT_NOT_FOUND", "agent " + t.provider() + ", provider of tool " + t.name() + ", is not connected"));
        }
        ObjectNode req = Json.obj().put("callId", UUID.randomUUID().toString()).put("toolName", t.name()).put("fromAgentId", caller);
        req.set("arguments", args);
        return provider.get().socket.emitWithAck(Duration.ofMillis(timeoutMs), "mcp:tool:invoke", req).handle((ackArgs, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause == null) {
                JsonNode a = ackArgs.path(0);
                boolean ok = !a.path("success").isBoolean() || a.path("success").booleanValue();
                JsonNode output = a.has("output") ? a.get("output") : a.has("result") ? a.get("result") : a;
                if (ok) return CompletableFuture.completedFuture(new Outcome(true, output, null, n));
                String error = Optional.ofNullable(Json.text(a, "error")).orElse("the tool failed");
                if (retriesLeft > 0) return attempt(t, caller, args, timeoutMs, retriesLeft - 1, n + 1);
                return CompletableFuture.completedFuture(new Outcome(false, Json.MAPPER.nullNode(), error, n));
            }
            if (cause instanceof TimeoutException) {
                if (retriesLeft > 0) return attempt(t, caller, args, timeoutMs, retriesLeft - 1, n + 1);
                return CompletableFuture.completedFuture(new Outcome(false, Json.MAPPER.nullNode(),
                        "tool " + t.name() + " timed out after " + timeoutMs + " ms (" + n + " attempt" + (n > 1 ? "s" : "") + ")", n));
            }
            // the provider's socket went during the call
            return CompletableFuture.<Outcome>failedFuture(Refusal.of("AGENT_NOT_FOUND",
                    "agent " + t.provider() + ", provider of tool " + t.name() + ", disconnected during the call"));
        }).thenCompose(f -> f);
    }

    private boolean online(String agentId) {
        return d.agents.find(agentId).map(Agents.Agent::online).orElse(false);
    }

    /** The socket that registered the tool if it is still here, else another socket of the providing agent. */
    private Optional<Member> providerSocket(Tool t) {
        Member any = null;
        for (Member m : d.members()) {
            if (!t.provider().equals(m.agentId()) || !m.socket.connected()) continue;
            if (m.socket.id().equals(t.socketId())) return Optional.of(m);
            any = m;
        }
        return Optional.ofNullable(any);
    }
}
