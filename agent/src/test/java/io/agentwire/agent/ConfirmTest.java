package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.json;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.AgentGateway.Reply;
import io.agentwire.core.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AgentContext#confirm} and {@link AgentRuntime#respond}. */
class ConfirmTest {
    private final MemorySink sink = new MemorySink();
    private final List<JsonNode> answers = new CopyOnWriteArrayList<>();
    private AgentRuntime runtime;
    private String runId;

    @BeforeEach
    void start() {
        Agent asker = agent("asker", (r, ctx) -> answers.add(ctx.confirm("step_1", "Proceed?",
                List.of("yes", "no"), "no", Duration.ofMinutes(10))));
        runtime = new AgentRuntime(sink, List.of(asker), "asker", AgentRuntimeConfig.defaults());
        runId = started(runtime.start(message("s1", null, "hi")));
        sink.await(runId, "agent.user_confirm");
    }

    @AfterEach
    void stop() {
        runtime.shutdown(MemorySink.GUARD);
    }

    @Test
    void theConfirmEventCarriesPromptOptionsAndTimeout() {
        JsonNode confirm = sink.events(runId).get(0);
        assertThat(confirm.path("step_id").asText()).isEqualTo("step_1");
        assertThat(confirm.path("content")).isEqualTo(json("{'prompt': 'Proceed?', 'options': ['yes', 'no']}"));
        assertThat(confirm.path("metadata").toString())
                .isEqualTo("{\"timeout_ms\":600000,\"default_option\":\"no\",\"run_id\":\"" + runId + "\"}");
    }

    @Test
    void theAnswerReachesTheAgentOnceAndASecondAnswerIsAnUnknownStep() {
        Reply first = runtime.respond("s1", "step_1", json("{'value': 'yes'}"));
        assertThat(first.accepted()).isTrue();
        assertThat(first.runId()).isEqualTo(runId);
        sink.awaitEnd(runId);
        assertThat(answers).containsExactly(json("{'value': 'yes'}"));

        Reply second = runtime.respond("s1", "step_1", json("{'value': 'no'}"));
        assertThat(second.accepted()).isFalse();
        assertThat(second.code()).isEqualTo(ErrorCode.UNKNOWN_STEP);
    }

    @Test
    void anUnknownStepOrAnotherSessionsStepIsAnUnknownStep() {
        assertThat(runtime.respond("s1", "step_2", json("{'approved': true}")).code())
                .isEqualTo(ErrorCode.UNKNOWN_STEP);
        assertThat(runtime.respond("s2", "step_1", json("{'approved': true}")).code())
                .isEqualTo(ErrorCode.UNKNOWN_STEP);
        assertThat(runtime.respond("s1", null, json("{'approved': true}")).code())
                .isEqualTo(ErrorCode.MISSING_FIELD);
    }

    @Test
    void anInvalidAnswerIsRefusedAndTheStepStaysPending() {
        for (String bad : List.of("{}", "{'approved': 'yes'}", "{'value': 'maybe'}", "{'value': 3}", "[true]",
                "{'value': null}")) {
            Reply reply = runtime.respond("s1", "step_1", json(bad));
            assertThat(reply.code()).as(bad).isEqualTo(ErrorCode.INVALID_FIELD);
            assertThat(reply.message()).as(bad).isNotBlank();
        }
        assertThat(runtime.respond("s1", "step_1", null).code()).isEqualTo(ErrorCode.INVALID_FIELD);

        assertThat(runtime.respond("s1", "step_1", json("{'approved': false}")).accepted()).isTrue();
        sink.awaitEnd(runId);
        assertThat(answers).containsExactly(json("{'approved': false}"));
    }
}
