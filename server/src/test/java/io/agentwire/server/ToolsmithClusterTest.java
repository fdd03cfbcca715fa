package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.ToolsmithModel;
import io.agentwire.agent.model.FakeOpenAi;
import io.agentwire.agent.toolsmith.Tool;
import io.agentwire.agent.toolsmith.ToolRegistry;
import io.agentwire.core.HistoryConfig;
import io.agentwire.redis.RedisCluster;
import io.agentwire.redis.RedisConfig;
import io.agentwire.redis.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolsmith in cluster mode: two AgentWire nodes on one real redis-server share the tool registry. A tool
 * synthesized on one node is found and run on the other without synthesis (its files written on that node's disk),
 * executions on both nodes at once add up, a failure's reflection is in the shared log, and workflows recorded on either node promote one composite tool that
 * both use (the fake OpenAI-compatible model, the real embeddings, pytest and bubblewrap).
 */
@Tag("integration")
class ToolsmithClusterTest {
    private static final long GUARD_SECONDS = 120;

    @TempDir Path dir;
    private FakeOpenAi fake;
    private ToolsmithModel model;

    @BeforeEach
    void start() throws Exception {
        model = new ToolsmithModel();
        fake = new FakeOpenAi().script(model::answer);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private AgentWireServer node(String name, RedisServer redis) {
        Map<String, Object> flags = TestConfigs.local(dir.resolve(name));
        flags.put("agentwire.dev", true);
        flags.put("agentwire.cluster.redis", redis.uri());
        Map<String, String> env = new HashMap<>();
        env.put("AGENTWIRE_MODEL_BASE_URL", fake.baseUrl());
        env.put("AGENTWIRE_MODEL_NAME", "fake-model");
        AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, env, flags));
        s.start();
        return s;
    }

    /** Runs {@code text} with the toolsmith on the node at {@code port}, in a new session; its events in order. */
    private static List<JsonNode> run(int port, String text) throws Exception {
        return run(port, text, "completed");
    }

    private static List<JsonNode> runFailing(int port, String text) throws Exception {
        return run(port, text, "failed");
    }

    private static List<JsonNode> run(int port, String text, String status) throws Exception {
        try (JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
            ws.awaitEvent("system.connected");
            ws.send("{\"event\":\"user.create_session\",\"content\":{}}");
            String session = ws.awaitEvent("agent.session_created").at("/content/session_id").asText();
            ws.send("{\"event\":\"user.message\",\"session_id\":\"" + session + "\",\"content\":{\"text\":"
                    + JsonSocket.JSON.writeValueAsString(text) + "},\"metadata\":{\"agent\":\"toolsmith\"}}");
            List<JsonNode> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
            while (true) {
                JsonNode n = ws.inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (n == null) throw new AssertionError("no pipeline.completed for '" + text + "'; got " + events);
                if (!n.at("/metadata/run_id").isTextual()) continue;
                events.add(n);
                if (n.path("event").asText().equals("pipeline.completed")) {
                    assertThat(n.at("/metadata/status").asText()).as(events.toString()).isEqualTo(status);
                    return events;
                }
            }
        }
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText()).toList();
    }

    private static JsonNode content(List<JsonNode> events, String name) {
        return events.stream().filter(e -> e.path("event").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + names(events))).path("content");
    }

    /** The shared registry as a third party reads it from Redis. */
    private static <T> T registry(RedisServer redis, Path files, java.util.function.Function<ToolRegistry, T> read) {
        try (RedisCluster c = RedisCluster.open(RedisConfig.of(redis.uri()), HistoryConfig.DEFAULT)) {
            return read.apply(new ToolRegistry(c.toolStore(), files));
        }
    }

    @Test
    void aToolWrittenOnOneNodeIsFoundAndRunOnTheOtherAndConcurrentExecutionsAddUp() throws Exception {
        try (RedisServer redis = RedisServer.start();
             AgentWireServer a = node("a", redis);
             AgentWireServer b = node("b", redis)) {
            List<JsonNode> first = run(a.port(), "Convert 10 kilometers to miles");
            assertThat(names(first)).contains("toolsmith.entering_synthesis_mode", "toolsmith.synthesis_successful");
            assertThat(model.specs.get()).isEqualTo(1);

            List<JsonNode> second = run(b.port(), "Convert 20 kilometers to miles");
            assertThat(names(second)).containsSubsequence("toolsmith.searching", "toolsmith.tool_found",
                    "toolsmith.executing", "toolsmith.execution_complete", "toolsmith.complete");
            assertThat(names(second)).doesNotContain("toolsmith.entering_synthesis_mode");
            assertThat(content(second, "toolsmith.tool_found").path("tool_name").asText()).isEqualTo("km_to_miles");
            assertThat(content(second, "toolsmith.execution_complete").path("result").asText()).isEqualTo("12.42742");
            assertThat(model.specs.get()).isEqualTo(1); // no synthesis on b
            // b's disk holds the tool's files, written from the stored code; neither node opened a SQLite registry
            assertThat(Files.readString(dir.resolve("b/toolsmith/tools/km_to_miles.py"))).contains("def km_to_miles");
            assertThat(dir.resolve("b/toolsmith/tools/test_km_to_miles.py")).exists();
            assertThat(dir.resolve("a/toolsmith/toolsmith.db")).doesNotExist();
            assertThat(dir.resolve("b/toolsmith/toolsmith.db")).doesNotExist();

            // four runs on each node at once, each with its own input (no result cache): 2 + 8 executions in all
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<List<JsonNode>>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int port = i % 2 == 0 ? a.port() : b.port();
                String text = "Convert " + (100 + i) + " kilometers to miles";
                runs.add(pool.submit((Callable<List<JsonNode>>) () -> run(port, text)));
            }
            for (Future<List<JsonNode>> f : runs) {
                assertThat(names(f.get(GUARD_SECONDS * 2, TimeUnit.SECONDS))).contains("toolsmith.execution_complete");
            }
            pool.shutdown();
            Tool tool = registry(redis, dir.resolve("reader"), r -> r.get("km_to_miles").orElseThrow());
            assertThat(tool.usageCount()).isEqualTo(10);
            assertThat(tool.successRate()).isEqualTo(1.0);
            assertThat(model.specs.get()).isEqualTo(1);

            // a failure's reflection, written through b, is in the shared reflection log
            List<JsonNode> failing = runFailing(b.port(), "Fetch the front page of '1.1.1.1'");
            long id = content(failing, "toolsmith.reflection_created").path("reflection_id").asLong();
            List<io.agentwire.core.ToolStore.Reflection> log = registry(redis, dir.resolve("reader"),
                    r -> r.store().reflections("fetch_page"));
            assertThat(log).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo(id);
                assertThat(r.rootCause()).contains("the sandbox has none");
            });
        }
    }

    @Test
    void workflowsRecordedOnEitherNodePromoteOneCompositeToolThatBothUse() throws Exception {
        try (RedisServer redis = RedisServer.start();
             AgentWireServer a = node("a", redis);
             AgentWireServer b = node("b", redis)) {
            String ask = "Convert %d kilometers to miles, then round the result to 1 decimal";
            List<JsonNode> first = run(a.port(), ask.formatted(10));
            assertThat(content(first, "toolsmith.workflow_recorded").path("frequency").asInt()).isEqualTo(1);
            List<JsonNode> second = run(b.port(), ask.formatted(20)); // the pattern recorded on a
            assertThat(content(second, "toolsmith.plan_complete").path("strategy").asText()).isEqualTo("workflow_pattern");
            assertThat(content(second, "toolsmith.workflow_recorded").path("frequency").asInt()).isEqualTo(2);
            List<JsonNode> third = run(a.port(), ask.formatted(30));
            assertThat(content(third, "toolsmith.workflow_recorded").path("frequency").asInt()).isEqualTo(3);
            String composite = content(third, "toolsmith.pattern_promoted").path("tool_name").asText();
            assertThat(composite).isEqualTo("km_to_miles_to_round_number_pipeline");

            List<JsonNode> fourth = run(b.port(), ask.formatted(40)); // promoted on a, used on b
            assertThat(content(fourth, "toolsmith.plan_complete").path("strategy").asText()).isEqualTo("composite_tool");
            assertThat(content(fourth, "toolsmith.using_composite_tool").path("tool_name").asText()).isEqualTo(composite);
            assertThat(content(fourth, "agent.final_answer").path("tool_result").asText()).isEqualTo("24.9");
            assertThat(names(fourth)).doesNotContain("toolsmith.entering_synthesis_mode", "toolsmith.pattern_promoted");
            assertThat(model.specs.get()).isEqualTo(2);
            String promotedTo = registry(redis, dir.resolve("reader"),
                    r -> r.pattern("km_to_miles_to_round_number").orElseThrow().promotedTo());
            assertThat(promotedTo).isEqualTo(composite);
        }
    }
}
