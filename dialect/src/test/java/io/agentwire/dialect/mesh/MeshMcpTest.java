package io.agentwire.dialect.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.mcp.McpServerConfig;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.model.ChatTextModel;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.model.OpenAiChatClient;
import io.agentwire.core.McpTools;
import io.agentwire.core.TextModel;
import io.agentwire.core.TextModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's acceptance with the real {@code @modelcontextprotocol/server-everything} (installed by {@code npm ci} in
 * {@code src/test/js/mesh}, started over stdio as the server starts a configured MCP server) and a fake
 * OpenAI-compatible model speaking SSE: MCP tools listed, filtered, executed, validated, timed out, retried and
 * refused over the socket; control loops acting with them; loops pausing for their owner; a model per phase.
 */
@Tag("integration")
class MeshMcpTest {
    private static final String SCRIPT = "node_modules/@modelcontextprotocol/server-everything/dist/index.js";
    private static McpToolbox toolbox;

    @TempDir
    Path dir;

    @BeforeAll
    static void startMcpServer() {
        Path script = MeshHarness.DIR.resolve(SCRIPT).toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            throw new AssertionError("server-everything is not installed: run `npm ci --prefix dialect/src/test/js/mesh` first");
        }
        toolbox = McpToolbox.start(List.of(McpServerConfig.stdio("everything", "node", List.of(script.toString(), "stdio"), Map.of())),
                Duration.ofSeconds(60), Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopMcpServer() {
        if (toolbox != null) toolbox.close();
    }

    private static void passed(JsonNode r) {
        assertEquals(0, r.path("failures").size(), () -> "failures: " + r.path("failures").toPrettyString());
    }

    private static TextModel model(FakeModel m) {
        return new ChatTextModel(new OpenAiChatClient(ModelConfig.of(m.baseUrl(), "fake-model")));
    }

    private static String phase(String request) {
        return request.contains("reasoning phase") ? "reasoning" : request.contains("planning phase") ? "planning" : "reflection";
    }

    /** The loops' model: answers by phase; plans the MCP server's echo, or its slow tool. */
    private static String orpar(String request, AtomicBoolean hangOnce) {
        switch (phase(request)) {
            case "reasoning" -> {
                if (request.contains("FAIL")) return null;
                if (request.contains("HANG_ONCE") && hangOnce.compareAndSet(false, true)) {
                    sleep(6_000); // the owner leaves meanwhile: this answer is dropped
                    return "too late";
                }
                return request.contains("USE_SLOW") ? "The agent must wait: USE_SLOW" : "A greeting is due";
            }
            case "planning" -> {
                return request.contains("USE_SLOW")
                        ? "{\"plan\": \"wait\", \"actions\": [{\"tool\": \"trigger-long-running-operation\", \"arguments\": {\"duration\": 30, \"steps\": 3}}]}"
                        : "Here: {\"plan\": \"greet\", \"actions\": [{\"tool\": \"echo\", \"arguments\": {\"message\": \"hi\"}, \"description\": \"say hi\"}]}";
            }
            default -> {
                return "The greeting worked";
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void mcpToolsListedFilteredExecutedValidatedTimedOutRetriedAndRefused() throws Exception {
        try (MeshHarness h = new MeshHarness(dir, Map.of(), Map.of(McpTools.class, toolbox.port()))) {
            long before = toolbox.calls();
            JsonNode r = h.run("mcpTools", Map.of());
            passed(r);
            assertEquals(toolbox.port().tools().size(), r.path("out").path("mcpTools").asInt(), "every tool of the server is listed");
            assertTrue(toolbox.calls() - before >= 7, "the calls reached the MCP server (echo, get-sum, 1 + 3 + 1 slow, echo)");
        }
    }

    @Test
    void controlLoopsActWithMcpToolsStopOnMaxCyclesErrorsRequestAndLimit() throws Exception {
        AtomicBoolean hang = new AtomicBoolean();
        ConcurrentLinkedQueue<String> planning = new ConcurrentLinkedQueue<>();
        try (FakeModel model = new FakeModel(req -> {
                if (phase(req).equals("planning")) planning.add(req);
                return orpar(req, hang);
            });
             MeshHarness h = new MeshHarness(dir, Map.of("agentwire.mesh.rate-limits.control-loop-cycles", 3),
                     Map.of(TextModel.class, model(model), McpTools.class, toolbox.port()))) {
            passed(h.run("mcpLoops", Map.of("cycleLimit", 3)));
            assertTrue(planning.stream().allMatch(p -> p.contains("trigger-long-running-operation") && p.contains("get-sum")),
                    "the planning phase is offered the MCP server's tools");
        }
    }

    @Test
    void aLoopPausesWhileItsAgentIsAwayAndResumesOnItsReturn() throws Exception {
        AtomicBoolean hang = new AtomicBoolean();
        try (FakeModel model = new FakeModel(req -> orpar(req, hang));
             MeshHarness h = new MeshHarness(dir, Map.of("agentwire.mesh.control-loops.owner-grace", "2500ms"),
                     Map.of(TextModel.class, model(model), McpTools.class, toolbox.port()))) {
            passed(h.run("loopPause", Map.of("graceMs", 2500)));
            assertTrue(hang.get(), "the cycle in flight when the agent left was the hanging one");
        }
    }

    @Test
    void eachPhaseAsksTheModelItNames() throws Exception {
        ConcurrentLinkedQueue<String> byDefault = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> byDeep = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> byFast = new ConcurrentLinkedQueue<>();
        AtomicBoolean hang = new AtomicBoolean();
        try (FakeModel main = new FakeModel(req -> { byDefault.add(phase(req)); return orpar(req, hang); });
             FakeModel deep = new FakeModel(req -> { byDeep.add(phase(req)); return "deep: " + orpar(req, hang); });
             FakeModel fast = new FakeModel(req -> { byFast.add(phase(req)); return orpar(req, hang); })) {
            Map<String, TextModel> named = Map.of("deep", model(deep), "fast", model(fast));
            TextModels models = new TextModels() {
                @Override public Set<String> names() { return named.keySet(); }
                @Override public Optional<TextModel> named(String name) { return Optional.ofNullable(named.get(name)); }
            };
            try (MeshHarness h = new MeshHarness(dir, Map.of(), Map.of(TextModel.class, model(main), TextModels.class, models,
                    McpTools.class, toolbox.port()))) {
                passed(h.run("loopModels", Map.of()));
            }
        }
        assertEquals(List.of("reasoning"), List.copyOf(byDeep));
        assertEquals(List.of("planning"), List.copyOf(byFast));
        assertEquals(List.of("reflection"), List.copyOf(byDefault));
    }
}
