package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.awaitTrue;
import static io.agentwire.agent.Fixtures.json;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.solve;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentGateway.Reply;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration LONG = Duration.ofMinutes(10);

    private final MemorySink sink = new MemorySink();
    private final List<Object> seen = new CopyOnWriteArrayList<>();
    private AgentRuntime runtime;

    private AgentRuntime runtime(AgentRuntimeConfig config, Agent... agents) {
        runtime = new AgentRuntime(sink, List.of(agents), agents[0].name(), config);
        return runtime;
    }

    private AgentRuntime runtime(Agent... agents) {
        return runtime(AgentRuntimeConfig.defaults(), agents);
    }

    @AfterEach
    void stop() {
        if (runtime != null) runtime.shutdown(MemorySink.GUARD);
    }

    private static final Agent WAITER = agent("waiter", (r, ctx) -> {
        ctx.emit("agent.thinking", NODES.objectNode().put("text", "waiting"), null);
        ctx.pause(LONG);
    });

    @Test
    void eventsAreEnvelopesWithoutSeqAndCarryTheRunId() {
        AgentRuntime rt = runtime(agent("echo", (r, ctx) -> {
            ObjectNode meta = NODES.objectNode().put("x", 1).put("run_id", "forged");
            seen.add(ctx.emit("agent.thinking", NODES.objectNode().put("text", r.text()), meta).offset());
            seen.add(ctx.emit("agent.partial_answer", "step_1", NODES.objectNode().put("text", "hi"), null, "你好")
                    .offset());
        }));
        String runId = started(rt.start(message("s1", null, "hello")));

        JsonNode end = sink.awaitEnd(runId);
        List<JsonNode> events = sink.events(runId);
        assertThat(sink.names(runId)).containsExactly("agent.thinking", "agent.partial_answer", "pipeline.completed");
        assertThat(seen).containsExactly(1L, 2L);
        JsonNode first = events.get(0);
        assertThat(first.fieldNames()).toIterable()
                .containsExactly("session_id", "event", "timestamp", "content", "metadata");
        assertThat(first.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(first.path("content")).isEqualTo(json("{'text': 'hello'}"));
        assertThat(first.path("metadata")).isEqualTo(json("{'x': 1, 'run_id': '" + runId + "'}"));
        JsonNode second = events.get(1);
        assertThat(second.path("step_id").asText()).isEqualTo("step_1");
        assertThat(second.path("show_content").asText()).isEqualTo("你好");
        assertThat(end.path("metadata").path("status").asText()).isEqualTo("completed");
        assertThat(end.path("metadata").path("duration_ms").isIntegralNumber()).isTrue();
        assertThat(sink.publications()).allSatisfy(p -> assertThat(p.stream()).isEqualTo("session:s1"));
    }

    @Test
    void runIdsAreDistinctAndRunsAreRemovedWhenTheyEnd() {
        AgentRuntime rt = runtime(agent("quick", (r, ctx) -> { }));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String runId = started(rt.start(message("s1", null, "go")));
            ids.add(runId);
            sink.awaitEnd(runId);
            assertThat(rt.activeRuns("s1")).doesNotContain(runId);
        }
        assertThat(ids).hasSize(20);
    }

    @Test
    void anUnknownAgentIsRefusedAndNullMeansTheDefault() {
        AgentRuntime rt = runtime(agent("first", (r, ctx) -> seen.add(r.agent())), agent("second", (r, ctx) -> { }));
        Reply refused = rt.start(message("s1", "nope", "hi"));
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.code()).isEqualTo(ErrorCode.AGENT_NOT_FOUND);
        sink.awaitEnd(started(rt.start(message("s1", null, "hi"))));
        assertThat(seen).containsExactly("first");
    }

    @Test
    void malformedCommandsAreRefused() {
        AgentRuntime rt = runtime(WAITER);
        assertThat(rt.start(message("s1", null, null)).code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(rt.start(message("s1", null, "  ")).code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(rt.start(message(null, null, "hi")).code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(rt.start(solve("s1", json("{'a': 1}"))).code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(rt.start(solve("s1", json("[]"))).code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(rt.start(solve("s1", json("[{'task_id': 'a'}]"))).code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(rt.start(solve("s1", json("[42]"))).code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(rt.start(solve("s1", json("[{'task_id': 'a', 'description': 'x'}, {'task_id': 'a', "
                + "'description': 'y'}]"))).code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(rt.activeRuns("s1")).isEmpty();
    }

    @Test
    void aSessionRunsAtMostMaxRunsPerSession() {
        AgentRuntime rt = runtime(AgentRuntimeConfig.defaults().withMaxRunsPerSession(2), WAITER);
        String a = started(rt.start(message("s1", null, "a")));
        String b = started(rt.start(message("s1", null, "b")));
        Reply third = rt.start(message("s1", null, "c"));
        assertThat(third.accepted()).isFalse();
        assertThat(third.code()).isEqualTo(ErrorCode.RUN_IN_PROGRESS);
        assertThat(rt.activeRuns("s1")).containsExactly(a, b);
        started(rt.start(message("s2", null, "other session")));

        assertThat(rt.cancel("s1", a).count()).isEqualTo(1);
        sink.awaitEnd(a);
        assertThat(rt.activeRuns("s1")).containsExactly(b);
        started(rt.start(message("s1", null, "c again")));
    }

    @Test
    void cancellingWhenNothingRunsIsAcceptedWithCountZero() {
        AgentRuntime rt = runtime(WAITER);
        assertThat(rt.cancel("s1", null)).isEqualTo(Reply.accepted(0));
        String runId = started(rt.start(message("s1", null, "a")));
        assertThat(rt.cancel("s1", "run_000000000000").count()).isZero();
        assertThat(rt.cancel("other", runId).count()).isZero();
        assertThat(rt.cancel("s1", runId).count()).isEqualTo(1);
        sink.awaitEnd(runId);
        assertThat(rt.cancel("s1", runId).count()).isZero();
    }

    @Test
    void anAgentThatThrowsEndsWithAgentErrorAndFailed() {
        AgentRuntime rt = runtime(agent("broken", (r, ctx) -> {
            ctx.emit("agent.thinking", null, null);
            throw new IllegalStateException("secret internal detail");
        }));
        String runId = started(rt.start(message("s1", null, "hi")));

        JsonNode end = sink.awaitEnd(runId);
        assertThat(sink.names(runId)).containsExactly("agent.thinking", "agent.error", "pipeline.completed");
        JsonNode error = sink.events(runId).get(1);
        assertThat(error.at("/metadata/code").asText()).isEqualTo("AGENT_FAILED");
        assertThat(error.at("/metadata/run_id").asText()).isEqualTo(runId);
        assertThat(error.at("/content/message").asText()).isNotBlank().doesNotContain("secret");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
        assertThat(rt.activeRuns("s1")).isEmpty();
    }

    @Test
    void anAgentWireExceptionShowsItsMessage() {
        AgentRuntime rt = runtime(agent("upstream", (r, ctx) -> {
            throw new AgentWireException(ErrorCode.UPSTREAM_ERROR, "The search service is down.");
        }));
        String runId = started(rt.start(message("s1", null, "hi")));
        sink.awaitEnd(runId);
        assertThat(sink.events(runId).get(0).at("/content/message").asText()).isEqualTo("The search service is down.");
    }

    @Test
    void pipelineCompletedIsTheLastEventAndComesOnce() {
        AgentRuntime rt = runtime(agent("twice", (r, ctx) -> {
            ctx.emit("pipeline.completed", null, NODES.objectNode().put("status", "done"));
            try {
                ctx.emit("pipeline.completed", null, null);
            } catch (IllegalStateException e) {
                seen.add("refused");
            }
            throw new IllegalStateException("after the end");
        }));
        String runId = started(rt.start(message("s1", null, "hi")));
        awaitTrue(() -> rt.activeRuns("s1").isEmpty() && seen.size() == 1, "run ended");
        rt.shutdown(MemorySink.GUARD); // waits for the run's thread to finish
        assertThat(sink.names(runId)).containsExactly("pipeline.completed");
        assertThat(sink.events(runId).get(0).at("/metadata/status").asText()).isEqualTo("done");
        assertThat(seen).containsExactly("refused");
    }

    @Test
    void agentsMayNotEmitClientOrConnectionEvents() {
        AgentRuntime rt = runtime(agent("bad", (r, ctx) -> {
            for (String name : List.of("user.message", "system.notice", "nonamespace", "Agent.Thinking")) {
                try {
                    ctx.emit(name, null, null);
                } catch (IllegalArgumentException e) {
                    seen.add(name);
                }
            }
        }));
        sink.awaitEnd(started(rt.start(message("s1", null, "hi"))));
        assertThat(seen).hasSize(4);
    }

    @Test
    void anAgentThatSwallowsTheCancellationStillEndsCancelled() {
        AgentRuntime rt = runtime(agent("sleepy", (r, ctx) -> {
            ctx.emit("agent.thinking", null, null);
            try {
                Thread.sleep(LONG); // its own blocking call, not ctx.pause: the cancel interrupts it
            } catch (InterruptedException e) {
                seen.add("interrupted");
            }
        }));
        String runId = started(rt.start(message("s1", null, "hi")));
        sink.await(runId, "agent.thinking");
        rt.cancel("s1", null);
        JsonNode end = sink.awaitEnd(runId);
        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
        assertThat(seen).containsExactly("interrupted");
        assertThat(sink.names(runId)).containsExactly("agent.thinking", "pipeline.completed");
    }

    @Test
    void shutdownCancelsEveryRunAndRefusesNewOnes() {
        AgentRuntime rt = runtime(WAITER);
        List<String> runs = List.of(started(rt.start(message("s1", null, "a"))),
                started(rt.start(message("s1", null, "b"))), started(rt.start(message("s2", null, "c"))));
        runs.forEach(id -> sink.await(id, "agent.thinking"));

        rt.shutdown(MemorySink.GUARD);
        for (String id : runs) {
            assertThat(sink.names(id)).containsExactly("agent.thinking", "pipeline.completed");
            assertThat(sink.events(id).get(1).at("/metadata/status").asText()).isEqualTo("cancelled");
        }
        assertThat(rt.activeRuns("s1")).isEmpty();
        assertThat(rt.activeRuns("s2")).isEmpty();
        assertThat(rt.start(message("s1", null, "late")).code()).isEqualTo(ErrorCode.SERVER_SHUTDOWN);
    }

    @Test
    void theConstructorChecksTheAgents() {
        Agent demo = new DemoAgent();
        assertThatThrownBy(() -> new AgentRuntime(sink, List.of(demo, new DemoAgent()), "demo",
                AgentRuntimeConfig.defaults())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentRuntime(sink, List.of(demo), "other", AgentRuntimeConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentRuntime(sink, List.of(agent("Bad Name", (r, c) -> { })), "Bad Name",
                AgentRuntimeConfig.defaults())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emitReturnsThePublicationWithItsSeq() {
        AgentRuntime rt = runtime(agent("seq", (r, ctx) -> {
            Publication p = ctx.emit("agent.thinking", null, null);
            seen.add(p.stream() + "@" + p.offset());
        }));
        sink.awaitEnd(started(rt.start(message("s7", null, "hi"))));
        assertThat(seen).containsExactly("session:s7@1");
    }
}
