package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.messageWith;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.toolsmith.Embedder;
import io.agentwire.agent.toolsmith.MiniLmEmbedder;
import io.agentwire.agent.toolsmith.Tool;
import io.agentwire.agent.toolsmith.ToolsmithAgent;
import io.agentwire.agent.toolsmith.ToolsmithConfig;
import io.agentwire.agent.toolsmith.ToolsmithEvents;
import io.agentwire.core.ToolCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolsmith end to end inside the runtime: a fake OpenAI-compatible model speaking the real streaming wire
 * format with scripted specifications, tests and code ({@link ToolsmithModel}), the real embedding model
 * (all-MiniLM-L6-v2 on ONNX, loaded once for the class), real pytest and the real bubblewrap sandbox.
 */
@Tag("integration")
class ToolsmithAgentTest extends FakeModelRuns {
    private static final Duration GUARD = Duration.ofSeconds(90);
    private static Embedder embedder;

    @TempDir
    Path dataDir;
    private ToolsmithModel script;
    private ToolsmithAgent agent;

    @BeforeAll
    static void loadEmbeddings() {
        embedder = MiniLmEmbedder.shared();
    }

    @BeforeEach
    void scriptTheModel() {
        script = new ToolsmithModel();
        fake.script(script::answer);
        start();
    }

    @AfterEach
    void closeAgent() {
        if (runtime != null) runtime.shutdown(MemorySink.GUARD);
        runtime = null;
        if (agent != null) agent.close();
    }

    private void start() {
        start(ToolsmithConfig.defaults(dataDir));
    }

    private void start(ToolsmithConfig config) {
        ModelConfig model = ModelConfig.of(fake.baseUrl(), "fake-model").withRetry(RetryPolicy.of(3, Duration.ofMillis(10)));
        agent = new ToolsmithAgent(model(model), config, embedder);
        runtime = new AgentRuntime(sink, List.of(agent), ToolsmithAgent.NAME, AgentRuntimeConfig.defaults());
    }

    /** Stops the agent and opens a new one on the same data directory (a server restart). */
    private void restart() {
        runtime.shutdown(MemorySink.GUARD);
        agent.close();
        start();
    }

    private String run(String text) {
        return started(runtime.start(messageWith("s1", text, null)));
    }

    private JsonNode end(String runId) {
        return sink.await(d -> runId.equals(d.path("metadata").path("run_id").asText())
                && "pipeline.completed".equals(d.path("event").asText()), runId + " pipeline.completed", GUARD);
    }

    /** The run's toolsmith event types, in order. */
    private List<String> types(String runId) {
        return sink.names(runId).stream().map(ToolsmithEvents::eventType).filter(t -> t != null).toList();
    }

    private List<JsonNode> data(String runId, String type) {
        return sink.events(runId).stream().filter(e -> e.path("event").asText().equals(ToolsmithEvents.eventName(type)))
                .map(e -> e.path("content")).toList();
    }

    private JsonNode finalAnswer(String runId) {
        return sink.events(runId).stream().filter(e -> e.path("event").asText().equals("agent.final_answer"))
                .findFirst().orElseThrow().path("content");
    }

    @Test
    void aFirstQuerySynthesizesATool_aSimilarOneFindsIt_evenAfterARestart() {
        script.failOnce.put("specification writer", true); // one HTTP 500, retried
        String first = run("Convert 10 kilometers to miles");
        assertThat(end(first).at("/metadata/status").asText()).as(sink.names(first).toString()).isEqualTo("completed");
        assertThat(types(first)).containsSubsequence("planning_query", "plan_complete", "searching", "no_tool_found",
                "entering_synthesis_mode", "synthesis_step", "synthesis_successful", "executing", "execution_complete",
                "synthesizing_response", "complete");
        assertThat(sink.names(first)).contains("error.retry_attempt", "agent.partial_answer", "agent.final_answer");
        assertThat(data(first, "synthesis_step")).extracting(d -> d.path("step").asText() + ":" + d.path("status").asText())
                .containsExactly("specification:in_progress", "specification:complete", "tests:in_progress", "tests:complete",
                        "implementation:in_progress", "implementation:complete", "verification:in_progress",
                        "verification:complete", "registration:in_progress", "registration:complete");
        assertThat(data(first, "synthesis_successful").get(0).path("tool_name").asText()).isEqualTo("km_to_miles");
        assertThat(data(first, "execution_complete").get(0).path("result").asText()).isEqualTo("6.21371");
        assertThat(finalAnswer(first).path("synthesized").asBoolean()).isTrue();
        assertThat(finalAnswer(first).path("text").asText()).isEqualTo("The answer is 6.21371.");
        assertThat(types(first).get(types(first).size() - 1)).isEqualTo("complete");
        Optional<Tool> tool = agent.registry().get("km_to_miles");
        assertThat(tool).isPresent();
        assertThat(tool.get().experimental()).isFalse();
        assertThat(dataDir.resolve("tools/km_to_miles.py")).exists();
        assertThat(dataDir.resolve("tools/test_km_to_miles.py")).exists();

        restart();
        int specs = script.specs.get();
        String second = run("How many miles are 42 kilometers?");
        assertThat(end(second).at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(types(second)).contains("tool_found").doesNotContain("entering_synthesis_mode", "no_tool_found");
        JsonNode found = data(second, "tool_found").get(0);
        assertThat(found.path("tool_name").asText()).isEqualTo("km_to_miles");
        assertThat(found.path("similarity").asDouble()).isBetween(0.4, 1.0);
        assertThat(data(second, "execution_complete").get(0).path("result").asText()).isEqualTo("26.097582");
        assertThat(finalAnswer(second).path("synthesized").asBoolean()).isFalse();
        assertThat(script.specs.get()).isEqualTo(specs);

        String third = run("How many miles are 42 kilometers?");
        assertThat(end(third).at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(types(third)).contains("cache_hit").doesNotContain("executing");
        assertThat(agent.registry().get("km_to_miles").get().usageCount()).isEqualTo(2);
    }

    @Test
    void aBrokenImplementationIsRepairedOnce() {
        String runId = run("Reverse the text 'stressed'");
        assertThat(end(runId).at("/metadata/status").asText()).as(sink.names(runId).toString()).isEqualTo("completed");
        assertThat(data(runId, "synthesis_step")).extracting(d -> d.path("step").asText() + ":" + d.path("status").asText())
                .contains("verification_retry:in_progress", "verification:complete");
        assertThat(script.implementations.get()).isEqualTo(1);
        assertThat(script.repairs.get()).isEqualTo(1);
        assertThat(types(runId)).doesNotContain("tool_experimental_warning");
        assertThat(agent.registry().get("reverse_text").orElseThrow().experimental()).isFalse();
        assertThat(data(runId, "execution_complete").get(0).path("result").asText()).isEqualTo("desserts");
    }

    @Test
    void anUnrepairableToolIsRegisteredAsExperimental() {
        String runId = run("Count the vowels in 'banana'");
        assertThat(end(runId).at("/metadata/status").asText()).as(sink.names(runId).toString()).isEqualTo("completed");
        assertThat(data(runId, "synthesis_step")).extracting(d -> d.path("step").asText() + ":" + d.path("status").asText())
                .contains("verification_retry:in_progress", "verification:warning", "registration:complete");
        assertThat(script.repairs.get()).isEqualTo(1);
        assertThat(data(runId, "synthesis_successful").get(0).path("experimental").asBoolean()).isTrue();
        assertThat(data(runId, "tool_experimental_warning").get(0).path("tool_name").asText()).isEqualTo("count_vowels");
        assertThat(agent.registry().get("count_vowels").orElseThrow().experimental()).isTrue();
    }

    @Test
    void aPromptTheModelCanNotTurnIntoAToolFailsTheSynthesis() {
        String runId = run("Tell me a joke about ducks");
        JsonNode end = end(runId);
        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
        JsonNode failed = data(runId, "synthesis_failed").get(0);
        assertThat(failed.path("step").asText()).isEqualTo("specification");
        assertThat(failed.path("error").asText()).contains("could not be read");
        assertThat(sink.names(runId)).contains("agent.error");
        assertThat(agent.registry().count()).isZero();
    }

    @Test
    void threeTwoToolWorkflowsPromoteACompositeToolThatTheFourthUses_andPatternsSurviveARestart() {
        String first = run("Convert 10 kilometers to miles, then round the result to 1 decimal");
        assertThat(end(first).at("/metadata/status").asText()).as(sink.names(first).toString()).isEqualTo("completed");
        assertThat(data(first, "plan_complete").get(0).path("strategy").asText()).isEqualTo("multi_tool_sequential");
        assertThat(types(first)).containsSubsequence("multi_tool_workflow", "workflow_start", "workflow_step",
                "workflow_step_needs_synthesis", "workflow_step_synthesizing", "synthesis_successful",
                "workflow_step_executing", "workflow_step_complete", "workflow_step", "workflow_step_complete",
                "workflow_complete", "workflow_recorded", "complete");
        assertThat(data(first, "workflow_complete").get(0).path("tool_sequence").toString())
                .isEqualTo("[\"km_to_miles\",\"round_number\"]");
        assertThat(finalAnswer(first).path("tool_result").asText()).isEqualTo("6.2");

        String second = run("Convert 20 kilometers to miles, then round the result to 1 decimal");
        assertThat(end(second).at("/metadata/status").asText()).as(sink.names(second).toString()).isEqualTo("completed");
        assertThat(data(second, "plan_complete").get(0).path("strategy").asText()).isEqualTo("workflow_pattern");
        assertThat(types(second)).containsSubsequence("using_workflow_pattern", "pattern_execution_start", "pattern_step",
                "pattern_step_complete", "pattern_step", "pattern_step_complete", "pattern_execution_complete");
        restart(); // the pattern survives
        String third = run("Convert 30 kilometers to miles, then round the result to 1 decimal");
        assertThat(end(third).at("/metadata/status").asText()).as(sink.names(third).toString()).isEqualTo("completed");
        JsonNode promoted = data(third, "pattern_promoted").get(0);
        assertThat(promoted.path("component_tools").toString()).isEqualTo("[\"km_to_miles\",\"round_number\"]");
        JsonNode recorded = data(third, "workflow_recorded").get(0);
        assertThat(recorded.path("frequency").asInt()).isEqualTo(3);
        assertThat(recorded.path("confidence").asDouble()).isGreaterThanOrEqualTo(0.7);

        restart(); // the composite tool survives
        int plans = script.plans.get();
        String fourth = run("Convert 40 kilometers to miles, then round the result to 1 decimal");
        assertThat(end(fourth).at("/metadata/status").asText()).as(sink.names(fourth).toString()).isEqualTo("completed");
        assertThat(data(fourth, "plan_complete").get(0).path("strategy").asText()).isEqualTo("composite_tool");
        JsonNode using = data(fourth, "using_composite_tool").get(0);
        assertThat(using.path("tool_name").asText()).isEqualTo(promoted.path("tool_name").asText());
        assertThat(using.path("component_tools").toString()).isEqualTo("[\"km_to_miles\",\"round_number\"]");
        assertThat(types(fourth)).doesNotContain("entering_synthesis_mode");
        assertThat(finalAnswer(fourth).path("tool_result").asText()).isEqualTo("24.9");
        assertThat(script.plans.get()).isEqualTo(plans); // the composite tool was chosen before asking the model
        assertThat(script.specs.get()).isEqualTo(2);

        // the registry as dialects read it (ToolCatalog)
        ToolCatalog catalog = agent.catalog();
        assertThat(catalog.count()).isEqualTo(3);
        assertThat(catalog.tools()).extracting(t -> t.path("name").asText())
                .containsExactlyInAnyOrder("km_to_miles", "round_number", promoted.path("tool_name").asText());
        assertThat(catalog.tools()).allMatch(t -> t.path("docstring").isTextual() && t.path("created_at").asText().endsWith("Z"));
        JsonNode tool = catalog.tool("km_to_miles").orElseThrow();
        assertThat(tool.path("code").asText()).contains("def km_to_miles");
        assertThat(tool.path("test_code").asText()).contains("def test_ten");
        assertThat(tool.path("file_path").asText()).endsWith("tools/km_to_miles.py");
        assertThat(catalog.tool("nope")).isEmpty();
        JsonNode pattern = catalog.patterns(2, 10).get(0);
        assertThat(pattern.path("pattern_name").asText()).isEqualTo("km_to_miles_to_round_number");
        assertThat(pattern.path("frequency").asInt()).isEqualTo(4);
        JsonNode rel = catalog.relationships("round_number", 0.5).get(0);
        assertThat(rel.path("tool_a").asText()).isEqualTo("km_to_miles");
        assertThat(rel.path("frequency_count").asInt()).isEqualTo(4);
        assertThat(catalog.executions("s1", 100)).hasSize(9) // 2 + 2 + 2 + composite (1) + its 2 components
                .allMatch(e -> e.path("success").asBoolean());
        assertThat(catalog.stats().path("total_patterns").asInt()).isEqualTo(1);
        assertThat(catalog.stats().at("/most_frequent_pattern/tools").toString()).isEqualTo("[\"km_to_miles\",\"round_number\"]");
    }

    @Test
    void aToolThatReachesForTheNetworkFailsInsideTheSandbox_andAnotherRunIsUnaffected() {
        String escaping = run("Fetch the front page of '1.1.1.1'");
        String other = started(runtime.start(messageWith("s2", "Reverse the text 'drawer'", null)));
        JsonNode end = end(escaping);
        assertThat(end.at("/metadata/status").asText()).as(sink.names(escaping).toString()).isEqualTo("failed");
        JsonNode failed = data(escaping, "execution_failed").get(0);
        assertThat(failed.path("tool_name").asText()).isEqualTo("fetch_page");
        assertThat(failed.path("error").asText()).containsAnyOf("unreachable", "OSError");
        // the tool raised: tried again twice (§ B.6), each retry announced, then one failed execution recorded
        List<JsonNode> retries = sink.events(escaping).stream()
                .filter(e -> e.path("event").asText().equals("error.retry_attempt")
                        && e.at("/metadata/code").asText().equals("TOOL_FAILED")).toList();
        assertThat(retries).extracting(e -> e.at("/metadata/attempt").asInt()).containsExactly(2, 3);
        assertThat(retries.get(0).at("/content/message").asText()).contains("the tool fetch_page failed");
        assertThat(sink.names(escaping).indexOf("error.retry_attempt"))
                .isGreaterThan(sink.names(escaping).indexOf("toolsmith.executing"));
        // reflection (§ B.6): the model's root cause, stored and reported before the run's error
        JsonNode reflection = data(escaping, "reflection_created").get(0);
        assertThat(reflection.path("root_cause").asText()).contains("the sandbox has none");
        assertThat(agent.registry().store().reflections("fetch_page")).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(reflection.path("reflection_id").asLong()).isPositive();
            assertThat(r.error()).isEqualTo(failed.path("error").asText());
            assertThat(r.rootCause()).isEqualTo(reflection.path("root_cause").asText());
        });
        JsonNode error = sink.events(escaping).stream().filter(e -> e.path("event").asText().equals("agent.error"))
                .findFirst().orElseThrow();
        assertThat(error.at("/metadata/reason").asText()).isEqualTo("TOOL_FAILED");
        assertThat(types(escaping)).containsSubsequence("execution_failed", "reflection_created");
        assertThat(end(other).at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(data(other, "execution_complete").get(0).path("result").asText()).isEqualTo("reward");
        assertThat(agent.registry().get("fetch_page").orElseThrow().usageCount()).isEqualTo(1);
    }

    @Test
    void cancelMidSynthesisKillsTheSandboxedProcess() {
        String runId = run("Wait for a very long time");
        sink.await(d -> runId.equals(d.path("metadata").path("run_id").asText())
                && d.path("content").path("step").asText().equals("verification"), "verification started", GUARD);
        Fixtures.awaitTrue(() -> !verifying().isEmpty(), "pytest running in the sandbox");
        assertThat(runtime.cancel("s1", runId).count()).isEqualTo(1);
        assertThat(end(runId).at("/metadata/status").asText()).isEqualTo("cancelled");
        Fixtures.awaitTrue(() -> verifying().isEmpty(), "the sandboxed pytest killed");
    }

    @Test
    void aSynthesisPastTheStepTimeoutEndsTheRun() {
        runtime.shutdown(MemorySink.GUARD);
        agent.close();
        start(ToolsmithConfig.defaults(dataDir).withStepTimeout(Duration.ofSeconds(2)));
        String runId = run("Wait for a very long time");
        JsonNode end = end(runId);
        assertThat(end.at("/metadata/status").asText()).as(sink.names(runId).toString()).isEqualTo("failed");
        JsonNode timeout = sink.events(runId).stream().filter(e -> e.path("event").asText().equals("error.timeout"))
                .findFirst().orElseThrow();
        assertThat(timeout.at("/metadata/code").asText()).isEqualTo("TIMEOUT");
        assertThat(timeout.at("/metadata/step_id").asText()).isEqualTo("synthesis");
        Fixtures.awaitTrue(() -> verifying().isEmpty(), "the sandboxed pytest killed");
    }

    private static List<ProcessHandle> verifying() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("_aw_verify.py wait_forever"))
                .filter(ProcessHandle::isAlive).toList();
    }
}
