package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.json;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.solve;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.AgentGateway.Reply;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoAgentTest {
    private static final Duration FAST = Duration.ofMillis(1);
    private static final Duration NEVER = Duration.ofMinutes(10); // longer than any guard: only a cancel ends it
    private static final List<String> PLAN = List.of("plan.start", "agent.thinking", "agent.thinking",
            "plan.completed");
    private static final List<String> SOLVE_ONE = List.of("solver.start", "agent.thinking", "agent.tool_call",
            "agent.tool_result", "agent.partial_answer", "solver.completed");
    private static final List<String> FINISH = List.of("aggregate.start", "agent.partial_answer",
            "agent.partial_answer", "aggregate.completed", "agent.final_answer", "pipeline.completed");

    private final MemorySink sink = new MemorySink();
    private AgentRuntime runtime;

    private AgentRuntime runtime(DemoAgentConfig config) {
        runtime = new AgentRuntime(sink, List.of(new DemoAgent(config)), DemoAgent.NAME,
                AgentRuntimeConfig.defaults());
        return runtime;
    }

    @AfterEach
    void stop() {
        if (runtime != null) runtime.shutdown(MemorySink.GUARD);
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> solveThree() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) all.addAll(SOLVE_ONE);
        all.addAll(FINISH);
        return all;
    }

    @Test
    void approvedRunStreamsTheWholeScriptInOrder() {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, true, Duration.ofSeconds(30)));
        String runId = started(rt.start(message("s1", null, "How do solar panels work?")));

        JsonNode confirm = sink.await(runId, "agent.user_confirm");
        assertThat(confirm.path("step_id").asText()).isEqualTo("confirm_plan_" + runId);
        assertThat(confirm.at("/content/options")).isEqualTo(json("['approve','reject']"));
        assertThat(confirm.at("/content/prompt").asText()).contains("scripted demo");
        assertThat(confirm.at("/metadata/timeout_ms").asLong()).isEqualTo(30_000);
        assertThat(confirm.at("/metadata/default_option").asText()).isEqualTo("approve");
        assertThat(rt.respond("s1", "confirm_plan_" + runId, json("{'approved': true}")).accepted()).isTrue();

        JsonNode end = sink.awaitEnd(runId);
        List<String> expected = concat(PLAN, "agent.user_confirm");
        expected.addAll(solveThree());
        assertThat(sink.names(runId)).containsExactlyElementsOf(expected);
        assertThat(sink.publications()).extracting(Publication::offset)
                .containsExactlyElementsOf(Stream.iterate(1L, i -> i + 1).limit(expected.size()).toList());

        List<JsonNode> events = sink.events(runId);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("session_id").asText()).isEqualTo("s1");
            assertThat(e.at("/metadata/run_id").asText()).isEqualTo(runId);
            assertThat(e.has("seq")).isFalse();
        });
        JsonNode plan = events.get(3);
        assertThat(plan.at("/content/tasks")).hasSize(3);
        assertThat(plan.at("/content/tasks/0/task_id").asText()).isEqualTo("task_1");
        assertThat(plan.at("/content/tasks/2/task_id").asText()).isEqualTo("task_3");
        assertThat(plan.at("/content/tasks/1/description").asText()).contains("How do solar panels work");
        assertThat(events.get(0).at("/content/query").asText()).isEqualTo("How do solar panels work?");
        JsonNode call = events.get(7);
        JsonNode result = events.get(8);
        assertThat(call.at("/content/tool").asText()).isEqualTo("demo_search");
        assertThat(call.at("/content/arguments/query").asText()).isEqualTo(plan.at("/content/tasks/0/description").asText());
        assertThat(result.at("/content/call_id").asText()).isEqualTo(call.at("/metadata/call_id").asText()).isNotEmpty();
        assertThat(events.get(10).at("/content/task_id").asText()).isEqualTo("task_1");
        assertThat(events.get(10).at("/content/result").asText()).isNotBlank();
        assertThat(events.get(events.size() - 2).at("/content/text").asText()).contains("scripted demo", "not an AI");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(end.at("/metadata/tasks").asInt()).isEqualTo(3);
        assertThat(end.at("/metadata/duration_ms").isIntegralNumber()).isTrue();
        assertThat(rt.activeRuns("s1")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'approved': false}", "{'value': 'reject'}"})
    void rejectedPlanEndsTheRun(String answer) {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, true, Duration.ofSeconds(30)));
        String runId = started(rt.start(message("s1", null, "Plan my holiday")));
        sink.await(runId, "agent.user_confirm");
        assertThat(rt.respond("s1", "confirm_plan_" + runId, json(answer)).accepted()).isTrue();

        JsonNode end = sink.awaitEnd(runId);
        assertThat(sink.names(runId)).containsExactlyElementsOf(concat(PLAN, "agent.user_confirm", "plan.cancelled",
                "pipeline.completed"));
        assertThat(sink.events(runId).get(5).at("/content/reason").asText()).isEqualTo("plan rejected");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("rejected");
        assertThat(rt.activeRuns("s1")).isEmpty();
    }

    @Test
    void unansweredConfirmationTimesOutAndTakesTheDefault() {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, true, Duration.ofMillis(20)));
        String runId = started(rt.start(message("s1", null, "Summarise the news")));

        JsonNode end = sink.awaitEnd(runId);
        List<String> expected = concat(PLAN, "agent.user_confirm", "error.timeout");
        expected.addAll(solveThree());
        assertThat(sink.names(runId)).containsExactlyElementsOf(expected);
        JsonNode timeout = sink.events(runId).get(5);
        assertThat(timeout.at("/metadata/code").asText()).isEqualTo("CONFIRM_TIMEOUT");
        assertThat(timeout.at("/metadata/step_id").asText()).isEqualTo("confirm_plan_" + runId);
        assertThat(timeout.at("/metadata/timeout_ms").asLong()).isEqualTo(20);
        assertThat(timeout.at("/content/message").asText()).contains("approve");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        Reply late = rt.respond("s1", "confirm_plan_" + runId, json("{'approved': true}"));
        assertThat(late.code()).isEqualTo(ErrorCode.UNKNOWN_STEP);
    }

    @Test
    void confirmFalseInTheRunMetadataSkipsTheConfirmation() {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, true, Duration.ofSeconds(30)));
        String runId = started(rt.start(Fixtures.messageWith("s1", "Quick one", json("{'confirm': false}"))));
        sink.awaitEnd(runId);
        List<String> expected = new ArrayList<>(PLAN);
        expected.addAll(solveThree());
        assertThat(sink.names(runId)).containsExactlyElementsOf(expected);
    }

    @Test
    void solveTasksSkipsPlanningAndConfirmation() {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, true, Duration.ofSeconds(30)));
        String runId = started(rt.start(solve("s1",
                json("['Find the README', {'description': 'Check the links'}, {'task_id': 't9', 'description': 'Sum up'}]"))));

        JsonNode end = sink.awaitEnd(runId);
        assertThat(sink.names(runId)).containsExactlyElementsOf(solveThree());
        assertThat(sink.events(runId)).filteredOn(e -> e.path("event").asText().equals("solver.start"))
                .extracting(e -> e.at("/content/task_id").asText() + ":" + e.at("/content/description").asText())
                .containsExactly("task_1:Find the README", "task_2:Check the links", "t9:Sum up");
        assertThat(end.at("/metadata/tasks").asInt()).isEqualTo(3);
    }

    @Test
    void cancelWhilePlanningReportsPlanCancelled() {
        AgentRuntime rt = runtime(new DemoAgentConfig(NEVER, true, Duration.ofSeconds(30)));
        String runId = started(rt.start(message("s1", null, "Anything")));
        sink.await(runId, "plan.start");

        assertThat(rt.cancel("s1", null).count()).isEqualTo(1);
        JsonNode end = sink.awaitEnd(runId); // within the guard only because the pause was interrupted
        assertThat(sink.names(runId)).containsExactly("plan.start", "plan.cancelled", "pipeline.completed");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
    }

    @Test
    void cancelWhileWaitingForTheConfirmationReportsPlanCancelled() {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, true, NEVER));
        String runId = started(rt.start(message("s1", null, "Anything")));
        sink.await(runId, "agent.user_confirm");

        Reply reply = rt.cancel("s1", runId);
        assertThat(reply.accepted()).isTrue();
        assertThat(reply.count()).isEqualTo(1);
        JsonNode end = sink.awaitEnd(runId);
        assertThat(sink.names(runId)).containsExactlyElementsOf(concat(PLAN, "agent.user_confirm", "plan.cancelled",
                "pipeline.completed"));
        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
        assertThat(rt.respond("s1", "confirm_plan_" + runId, json("{'approved': true}")).code())
                .isEqualTo(ErrorCode.UNKNOWN_STEP);
        assertThat(rt.activeRuns("s1")).isEmpty();
    }

    @Test
    void cancelWhileSolvingReportsTheCurrentTaskAndStopsAtOnce() {
        AgentRuntime rt = runtime(new DemoAgentConfig(NEVER, true, Duration.ofSeconds(30)));
        String runId = started(rt.start(solve("s1", json("['one', 'two']"))));
        sink.await(runId, "solver.start");

        assertThat(rt.cancel("s1", runId).count()).isEqualTo(1);
        JsonNode end = sink.awaitEnd(runId);
        assertThat(sink.names(runId)).containsExactly("solver.start", "solver.cancelled", "pipeline.completed");
        assertThat(sink.events(runId).get(1).at("/content/task_id").asText()).isEqualTo("task_1");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
    }

    /** Cancels at every point of a run: each run ends with exactly one pipeline.completed, and nothing after it. */
    @Test
    void aCancelAtAnyPointEndsWithExactlyOnePipelineCompleted() {
        AgentRuntime rt = runtime(new DemoAgentConfig(FAST, false, Duration.ofSeconds(30)));
        int total = PLAN.size() + solveThree().size();
        for (int k = 1; k < total; k++) {
            String session = "s" + k;
            String runId = started(rt.start(message(session, null, "Point " + k)));
            int after = k;
            sink.await(e -> runId.equals(e.at("/metadata/run_id").asText()) && sink.names(runId).size() >= after,
                    "event " + k);
            int cancelled = rt.cancel(session, null).count();
            JsonNode end = sink.awaitEnd(runId);

            List<String> names = sink.names(runId);
            assertThat(names).as("run cancelled after event %d", k).filteredOn("pipeline.completed"::equals).hasSize(1);
            assertThat(names.get(names.size() - 1)).isEqualTo("pipeline.completed");
            String status = end.at("/metadata/status").asText();
            if (cancelled == 1 && !status.equals("cancelled")) { // the cancel came as the script was ending
                assertThat(status).isEqualTo("completed");
                assertThat(names).contains("agent.final_answer");
            }
            int solverCancelled = names.indexOf("solver.cancelled");
            if (solverCancelled >= 0) assertThat(names.subList(solverCancelled + 1, names.size()))
                    .containsExactly("pipeline.completed");
            Fixtures.awaitTrue(() -> rt.activeRuns(session).isEmpty(), "run removed");
        }
    }
}
