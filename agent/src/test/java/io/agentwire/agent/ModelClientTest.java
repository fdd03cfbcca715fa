package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static io.agentwire.agent.model.FakeOpenAi.hang;
import static io.agentwire.agent.model.FakeOpenAi.status;
import static io.agentwire.agent.model.FakeOpenAi.text;
import static io.agentwire.agent.model.FakeOpenAi.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.model.ChatRequest;
import io.agentwire.agent.model.ChatResponse;
import io.agentwire.agent.model.FakeOpenAi;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.model.ToolCall;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible streaming client against a fake server speaking the real wire format, inside real runs. */
@Tag("integration")
class ModelClientTest extends FakeModelRuns {

    private ModelConfig config() {
        return ModelConfig.of(fake.baseUrl(), "fake-model").withApiKey("sk-test")
                .withRetry(RetryPolicy.of(3, Duration.ofMillis(20)));
    }

    /** Runs {@code body} as an agent run and returns the run id. */
    private String run(Fixtures.Body body) {
        runtime = new AgentRuntime(sink, List.of(agent("m", body)), "m", AgentRuntimeConfig.defaults());
        return started(runtime.start(message("s1", null, "hi")));
    }

    @Test
    void streamsContentPiecesAndJoinsToolCalls() {
        fake.script(body -> FakeOpenAi.user(body).contains("tools please")
                ? toolCalls("call_a", "fs__read", "{\"path\":\"/tmp/x\"}", "call_b", "everything__echo", "{\"message\":\"hi\"}")
                : text("Hello there, streaming world"));
        List<String> pieces = new CopyOnWriteArrayList<>();
        AtomicReference<ChatResponse> answer = new AtomicReference<>();
        AtomicReference<ChatResponse> calls = new AtomicReference<>();
        String runId = run((r, ctx) -> {
            ModelCalls m = model(config());
            answer.set(m.complete(ctx, null, new ChatRequest(null).user("say hello"), pieces::add));
            calls.set(m.complete(ctx, null, new ChatRequest(null).user("tools please"), p -> { }));
        });
        assertThat(sink.awaitEnd(runId).at("/metadata/status").asText()).isEqualTo("completed");

        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo("Hello there, streaming world");
        assertThat(answer.get().content()).isEqualTo("Hello there, streaming world");
        assertThat(answer.get().finishReason()).isEqualTo("stop");
        assertThat(calls.get().toolCalls()).containsExactly(
                new ToolCall("call_a", "fs__read", "{\"path\":\"/tmp/x\"}"),
                new ToolCall("call_b", "everything__echo", "{\"message\":\"hi\"}"));
        assertThat(calls.get().finishReason()).isEqualTo("tool_calls");
        JsonNode sent = fake.requests().getFirst();
        assertThat(sent.path("model").asText()).isEqualTo("fake-model");
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.at("/messages/0/content").asText()).isEqualTo("say hello");
        assertThat(fake.authorizations()).allMatch("Bearer sk-test"::equals);
    }

    @Test
    void serverErrorsAreRetriedAndAnnouncedThenSucceed() {
        AtomicInteger calls = new AtomicInteger();
        fake.script(body -> calls.incrementAndGet() <= 2 ? status(503, "overloaded") : text("finally"));
        AtomicReference<String> got = new AtomicReference<>();
        String runId = run((r, ctx) -> got.set(model(config()).complete(ctx, null, new ChatRequest(null).user("x"), p -> { }).content()));
        sink.awaitEnd(runId);

        assertThat(got.get()).isEqualTo("finally");
        List<JsonNode> retries = sink.events(runId).stream().filter(e -> e.path("event").asText().equals("error.retry_attempt")).toList();
        assertThat(retries).hasSize(2);
        assertThat(retries.get(0).at("/metadata/attempt").asInt()).isEqualTo(2);
        assertThat(retries.get(1).at("/metadata/attempt").asInt()).isEqualTo(3);
        assertThat(retries).allSatisfy(e -> {
            assertThat(e.at("/metadata/max_attempts").asInt()).isEqualTo(3);
            assertThat(e.at("/metadata/code").asText()).isEqualTo("UPSTREAM_ERROR");
            assertThat(e.at("/content/message").asText()).contains("HTTP 503").contains("overloaded");
        });
        // backoff: 20 ms then 40 ms, ±10 %
        assertThat(retries.get(0).at("/metadata/delay_ms").asLong()).isBetween(18L, 22L);
        assertThat(retries.get(1).at("/metadata/delay_ms").asLong()).isBetween(36L, 44L);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aRefusalIsNotRetriedAndFailsTheRunWithItsMessage() {
        fake.script(body -> status(401, "Incorrect API key provided"));
        String runId = run((r, ctx) -> model(config()).complete(ctx, null, new ChatRequest(null).user("x"), p -> { }));
        JsonNode end = sink.awaitEnd(runId);

        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
        JsonNode error = sink.await(runId, "agent.error");
        assertThat(error.at("/content/message").asText()).isEqualTo("the model answered HTTP 401: Incorrect API key provided");
        assertThat(sink.names(runId)).doesNotContain("error.retry_attempt");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aModelThatNeverAnswersIsATimeout() {
        fake.script(body -> hang());
        ModelConfig config = config().withResponseTimeout(Duration.ofMillis(300)).withRetry(RetryPolicy.of(2, Duration.ofMillis(10)));
        String runId = run((r, ctx) -> model(config).complete(ctx, "plan", new ChatRequest(null).user("x"), p -> { }));
        JsonNode end = sink.awaitEnd(runId);

        assertThat(sink.names(runId)).containsExactly("error.retry_attempt", "error.timeout", "agent.error", "pipeline.completed");
        JsonNode timeout = sink.await(runId, "error.timeout");
        assertThat(timeout.at("/metadata/code").asText()).isEqualTo("TIMEOUT");
        assertThat(timeout.at("/metadata/step_id").asText()).isEqualTo("plan");
        assertThat(timeout.at("/metadata/timeout_ms").asLong()).isEqualTo(300);
        assertThat(sink.await(runId, "error.retry_attempt").at("/metadata/code").asText()).isEqualTo("TIMEOUT");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
    }

    @Test
    void cancellingAbortsAStreamInFlight() {
        fake.script(body -> hang());
        ModelConfig config = config().withResponseTimeout(Duration.ofMinutes(5));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        String runId = run((r, ctx) -> {
            ctx.emit("agent.thinking", null, null);
            try {
                model(config).complete(ctx, null, new ChatRequest(null).user("x"), p -> { });
            } catch (RuntimeException e) {
                thrown.set(e);
                throw e;
            }
        });
        sink.await(runId, "agent.thinking");
        Fixtures.awaitTrue(() -> fake.requests().size() == 1, "the request reached the model");
        runtime.cancel("s1", runId);
        JsonNode end = sink.awaitEnd(runId); // within the guard, though the model would stay silent for 5 minutes

        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
        assertThat(thrown.get()).isInstanceOf(RunCancelledException.class);
    }

    @Test
    void aModelSilentInTheMiddleOfItsStreamTimesOutAndIsNotRetried() {
        fake.script(body -> FakeOpenAi.textThenStall("The first words, then"));
        ModelConfig config = config().withResponseTimeout(Duration.ofMillis(400));
        List<String> pieces = new CopyOnWriteArrayList<>();
        String runId = run((r, ctx) -> model(config).complete(ctx, "answer", new ChatRequest(null).user("x"), pieces::add));
        JsonNode end = sink.awaitEnd(runId);

        assertThat(String.join("", pieces)).isEqualTo("The first words, then");
        // part of the answer was streamed: a retry would repeat it, so the timeout is final
        assertThat(sink.names(runId)).containsExactly("error.timeout", "agent.error", "pipeline.completed");
        assertThat(sink.await(runId, "error.timeout").at("/metadata/step_id").asText()).isEqualTo("answer");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void cancellingMidStreamEndsTheRunAtOnce() {
        fake.script(body -> FakeOpenAi.textThenStall("Streaming along"));
        ModelConfig config = config().withResponseTimeout(Duration.ofMinutes(5));
        String runId = run((r, ctx) -> model(config).complete(ctx, null, new ChatRequest(null).user("x"),
                piece -> ctx.partialAnswer(piece, null)));
        sink.await(runId, "agent.partial_answer");
        runtime.cancel("s1", runId);
        JsonNode end = sink.awaitEnd(runId); // within the guard, though the stream would stay silent for 5 minutes

        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
        assertThat(sink.names(runId)).doesNotContain("agent.error", "error.timeout");
    }
}
