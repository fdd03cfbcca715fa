package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.json;
import static io.agentwire.agent.Fixtures.messageWith;
import static io.agentwire.agent.Fixtures.started;
import static io.agentwire.agent.model.FakeOpenAi.hang;
import static io.agentwire.agent.model.FakeOpenAi.hasToolResult;
import static io.agentwire.agent.model.FakeOpenAi.status;
import static io.agentwire.agent.model.FakeOpenAi.system;
import static io.agentwire.agent.model.FakeOpenAi.text;
import static io.agentwire.agent.model.FakeOpenAi.toolCalls;
import static io.agentwire.agent.model.FakeOpenAi.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.mcp.ToolOutcome;
import io.agentwire.agent.model.FakeOpenAi;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.pipeline.PipelineAgent;
import io.agentwire.agent.pipeline.PipelineConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pipeline agent end to end inside the runtime: a fake OpenAI-compatible model speaking the real streaming
 * wire format, and the real {@code server-everything} MCP server as a subprocess.
 */
@Tag("integration")
class PipelineAgentTest extends FakeModelRuns {
    private static final String PLAN = "{\"tasks\":[{\"description\":\"Add 2 and 40\"},{\"description\":\"Echo the greeting\"}]}";
    private static McpToolbox tools;

    @BeforeAll
    static void startTools() {
        tools = McpToolbox.start(List.of(EverythingServer.stdio("everything")), Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    @AfterAll
    static void stopTools() {
        if (tools != null) tools.close();
    }

    private String run(PipelineConfig config, ModelConfig model, String text, JsonNode metadata) {
        PipelineAgent agent = new PipelineAgent(model(model), tools, config);
        runtime = new AgentRuntime(sink, List.of(agent), PipelineAgent.NAME, AgentRuntimeConfig.defaults());
        return started(runtime.start(messageWith("s1", text, metadata)));
    }

    private String run(Function<JsonNode, FakeOpenAi.Reply> script, JsonNode metadata) {
        fake.script(script);
        return run(PipelineConfig.defaults(), model(), "Add 2 and 40, and echo hello", metadata);
    }

    private ModelConfig model() {
        return ModelConfig.of(fake.baseUrl(), "fake-model").withRetry(RetryPolicy.of(3, Duration.ofMillis(10)));
    }

    private static final JsonNode NO_CONFIRM = json("{'confirm': false}");

    /** The happy path's model: a plan, each solver calls one tool and then answers, the aggregator answers. */
    private static FakeOpenAi.Reply happy(JsonNode body) {
        String sys = system(body);
        if (sys.contains("planner")) return text(PLAN);
        if (sys.contains("aggregator")) return text("Final: 2 + 40 = 42, and the greeting was echoed.");
        if (user(body).contains("Your task: Add 2 and 40")) {
            return hasToolResult(body) ? text("The sum is 42.") : toolCalls("call_sum", "everything__get-sum", "{\"a\":2,\"b\":40}");
        }
        return hasToolResult(body) ? text("Echoed hello.") : toolCalls("call_echo", "everything__echo", "{\"message\":\"hello\"}");
    }

    private List<String> names(String runId) {
        return sink.names(runId);
    }

    private List<JsonNode> events(String runId, String name) {
        return sink.events(runId).stream().filter(e -> e.path("event").asText().equals(name)).toList();
    }

    private List<JsonNode> ofTask(String runId, String taskId) {
        return sink.events(runId).stream().filter(e -> taskId.equals(e.at("/metadata/task_id").asText())).toList();
    }

    @Test
    void aFullRunsEventsInOrder() {
        String runId = run(PipelineAgentTest::happy, null);
        JsonNode confirm = sink.await(runId, "agent.user_confirm");
        assertThat(confirm.at("/content/options").toString()).isEqualTo("[\"approve\",\"reject\"]");
        assertThat(runtime.respond("s1", confirm.path("step_id").asText(), json("{'approved': true}")).accepted()).isTrue();
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(end.at("/metadata/tasks").asInt()).isEqualTo(2);
        List<String> names = names(runId);
        assertThat(names.subList(0, 3)).containsExactly("plan.start", "plan.completed", "agent.user_confirm");
        assertThat(sink.await(runId, "plan.completed").at("/content/tasks").toString())
                .isEqualTo("[{\"task_id\":\"task_1\",\"description\":\"Add 2 and 40\"},"
                        + "{\"task_id\":\"task_2\",\"description\":\"Echo the greeting\"}]");
        // each solver in order (the two run at once, so they interleave)
        assertThat(ofTask(runId, "task_1").stream().map(e -> e.path("event").asText()).distinct().toList())
                .containsExactly("solver.start", "agent.tool_call", "agent.tool_result", "agent.partial_answer", "solver.completed");
        JsonNode call = events(runId, "agent.tool_call").stream().filter(e -> e.at("/content/call_id").asText().equals("call_sum")).findFirst().orElseThrow();
        assertThat(call.at("/content/tool").asText()).isEqualTo("everything__get-sum");
        assertThat(call.at("/content/arguments").toString()).isEqualTo("{\"a\":2,\"b\":40}");
        JsonNode sum = events(runId, "agent.tool_result").stream().filter(e -> e.at("/content/call_id").asText().equals("call_sum")).findFirst().orElseThrow();
        assertThat(sum.at("/content/result").asText()).contains("42");
        assertThat(sum.at("/content/is_error").asBoolean()).isFalse();
        JsonNode echo = events(runId, "agent.tool_result").stream().filter(e -> e.at("/content/call_id").asText().equals("call_echo")).findFirst().orElseThrow();
        assertThat(echo.at("/content/result").asText()).isEqualTo("Echo: hello");
        assertThat(events(runId, "solver.completed")).extracting(e -> e.at("/content/result").asText())
                .containsExactlyInAnyOrder("The sum is 42.", "Echoed hello.");
        // then the aggregate, streamed, and the end
        int aggregateStart = names.indexOf("aggregate.start");
        assertThat(names.lastIndexOf("solver.completed")).isLessThan(aggregateStart);
        List<String> tail = names.subList(aggregateStart, names.size());
        assertThat(tail.getFirst()).isEqualTo("aggregate.start");
        assertThat(tail.subList(tail.size() - 3, tail.size())).containsExactly("aggregate.completed", "agent.final_answer", "pipeline.completed");
        assertThat(tail.subList(1, tail.size() - 3)).hasSizeGreaterThan(1).containsOnly("agent.partial_answer");
        assertThat(sink.await(runId, "agent.final_answer").at("/content/text").asText())
                .isEqualTo("Final: 2 + 40 = 42, and the greeting was echoed.");
        // the solver's second request carried the tool's result back to the model
        assertThat(fake.requests()).anySatisfy(r -> assertThat(FakeOpenAi.lastToolResult(r)).isEqualTo("Echo: hello"));
        assertThat(fake.requests()).anySatisfy(r -> assertThat(r.at("/tools/0/type").asText()).isEqualTo("function"));
    }

    @Test
    void aDeniedPlanEndsTheRunRejected() {
        String runId = run(PipelineAgentTest::happy, null);
        JsonNode confirm = sink.await(runId, "agent.user_confirm");
        runtime.respond("s1", confirm.path("step_id").asText(), json("{'value': 'reject'}"));
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("rejected");
        assertThat(names(runId)).containsExactly("plan.start", "plan.completed", "agent.user_confirm", "plan.cancelled",
                "pipeline.completed");
        assertThat(fake.requests()).hasSize(1); // only the planner was asked
    }

    @Test
    void cancellingDuringAToolCallInterruptsItAndEndsTheRun() {
        String runId = run(body -> {
            String sys = system(body);
            if (sys.contains("planner")) return text("{\"tasks\":[\"Wait for the long operation\"]}");
            return hasToolResult(body) ? text("done") : toolCalls("call_long", "everything__trigger-long-running-operation",
                    "{\"duration\":300,\"steps\":3}");
        }, NO_CONFIRM);
        sink.await(runId, "agent.tool_call");
        runtime.cancel("s1", runId);
        JsonNode end = sink.awaitEnd(runId); // within the guard, though the operation takes 300 s

        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
        assertThat(names(runId)).containsSubsequence("agent.tool_call", "solver.cancelled", "pipeline.completed")
                .doesNotContain("agent.tool_result", "aggregate.start");
        // the MCP server is fine and serves the next call
        AgentRuntime probe = new AgentRuntime(sink, List.of(Fixtures.agent("probe", (r, ctx) ->
                assertThat(tools.call("everything__echo", "{\"message\":\"still here\"}", ctx)).isEqualTo(ToolOutcome.ok("Echo: still here")))),
                "probe", AgentRuntimeConfig.defaults());
        String probeRun = started(probe.start(Fixtures.message("s2", null, "x")));
        assertThat(sink.awaitEnd(probeRun).at("/metadata/status").asText()).isEqualTo("completed");
        probe.shutdown(MemorySink.GUARD);
    }

    @Test
    void modelServerErrorsAreRetriedThenTheRunSucceeds() {
        AtomicInteger plannerCalls = new AtomicInteger();
        String runId = run(body -> system(body).contains("planner") && plannerCalls.incrementAndGet() <= 2
                ? status(500, "internal server error") : happy(body), NO_CONFIRM);
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(names(runId).subList(0, 4)).containsExactly("plan.start", "error.retry_attempt", "error.retry_attempt",
                "plan.completed");
        assertThat(events(runId, "error.retry_attempt")).extracting(e -> e.at("/metadata/attempt").asInt()).containsExactly(2, 3);
    }

    @Test
    void aModelThatNeverAnswersTimesOutAndCancelsTheOtherSolver() {
        fake.script(body -> {
            String sys = system(body);
            if (sys.contains("planner")) return text(PLAN);
            if (user(body).contains("Your task: Add 2 and 40")) return hang();
            return toolCalls("call_long", "everything__trigger-long-running-operation", "{\"duration\":300,\"steps\":3}");
        });
        ModelConfig silentModel = model().withResponseTimeout(Duration.ofMillis(500)).withRetry(RetryPolicy.of(2, Duration.ofMillis(10)));
        String runId = run(PipelineConfig.defaults().withConfirmPlan(false), silentModel, "Add 2 and 40, and echo hello", null);
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
        JsonNode timeout = sink.await(runId, "error.timeout");
        assertThat(timeout.at("/metadata/code").asText()).isEqualTo("TIMEOUT");
        assertThat(timeout.at("/metadata/step_id").asText()).isEqualTo("task_1");
        assertThat(timeout.at("/metadata/timeout_ms").asLong()).isEqualTo(500);
        // the other solver, busy in its 300 s tool call, was cancelled
        assertThat(ofTask(runId, "task_2").stream().map(e -> e.path("event").asText()).toList()).contains("solver.cancelled");
        assertThat(names(runId)).containsSubsequence("error.timeout", "agent.error", "pipeline.completed")
                .doesNotContain("aggregate.start");
    }

    @Test
    void aToolFailureIsAnEventAndTheRunGoesOn() {
        String runId = run(body -> {
            String sys = system(body);
            if (sys.contains("planner")) return text("{\"tasks\":[\"Add two and forty\"]}");
            if (sys.contains("aggregator")) return text("Could not add.");
            return hasToolResult(body) ? text("The tool refused: " + FakeOpenAi.lastToolResult(body))
                    : toolCalls("call_bad", "everything__get-sum", "{\"a\":\"two\",\"b\":40}");
        }, NO_CONFIRM);
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        JsonNode result = sink.await(runId, "agent.tool_result");
        assertThat(result.at("/content/is_error").asBoolean()).isTrue();
        assertThat(result.at("/metadata/code").asText()).isEqualTo("TOOL_FAILED");
        assertThat(sink.await(runId, "solver.completed").at("/content/result").asText()).startsWith("The tool refused: ERROR:");
        assertThat(names(runId)).doesNotContain("agent.error");
    }

    @Test
    void anUnreadablePlanIsReportedAndAskedAgainOnce() {
        AtomicInteger plannerCalls = new AtomicInteger();
        String runId = run(body -> system(body).contains("planner") && plannerCalls.incrementAndGet() == 1
                ? text("Sure! First I will add the numbers, then echo.") : happy(body), NO_CONFIRM);
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(names(runId).subList(0, 3)).containsExactly("plan.start", "plan.coercion_error", "plan.completed");
        JsonNode coercion = sink.await(runId, "plan.coercion_error");
        assertThat(coercion.at("/metadata/code").asText()).isEqualTo("PLAN_UNREADABLE");
        assertThat(coercion.at("/metadata/will_retry").asBoolean()).isTrue();
        assertThat(coercion.at("/content/output").asText()).isEqualTo("Sure! First I will add the numbers, then echo.");
        // the retry told the model what was wrong
        JsonNode retry = fake.requests().get(1);
        assertThat(user(retry)).contains("could not be read as a plan");
    }

    @Test
    void aPlanUnreadableTwiceFailsTheRunClearly() {
        String runId = run(body -> text("```json\n{\"steps\": 3}\n```"), NO_CONFIRM);
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
        assertThat(names(runId)).containsExactly("plan.start", "plan.coercion_error", "plan.coercion_error", "agent.error",
                "pipeline.completed");
        assertThat(sink.await(runId, "agent.error").at("/content/message").asText())
                .isEqualTo("The planner's answer could not be read as a plan, also after a retry (no \"tasks\" array).");
        assertThat(sink.await(runId, "agent.error").at("/metadata/reason").asText()).isEqualTo("PLAN_UNREADABLE");
    }

    @Test
    void solveTasksSkipsPlanning() {
        AtomicReference<String> sawPlanner = new AtomicReference<>("no");
        fake.script(body -> {
            if (system(body).contains("planner")) sawPlanner.set("yes");
            return happy(body);
        });
        PipelineAgent agent = new PipelineAgent(model(model()), tools, PipelineConfig.defaults());
        runtime = new AgentRuntime(sink, List.of(agent), PipelineAgent.NAME, AgentRuntimeConfig.defaults());
        String runId = started(runtime.start(Fixtures.solve("s1", json("['Echo the greeting']"))));
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(names(runId).getFirst()).isEqualTo("solver.start");
        assertThat(sawPlanner.get()).isEqualTo("no");
    }
}
