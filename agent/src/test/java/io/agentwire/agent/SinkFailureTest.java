package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.awaitTrue;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventSink;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A sink that fails or never answers ends the run: the agent's own events are not retried, no hang; the run's end
 * ({@code agent.error} with the failure's code, {@code pipeline.completed failed}) is retried, once a second, until
 * the sink takes it (issue 17: a broker or store that comes back gets the end of every run it interrupted).
 */
class SinkFailureTest {
    private static final DemoAgentConfig DEMO = new DemoAgentConfig(Duration.ofMillis(1), false, Duration.ofSeconds(30));

    /** Publishes the first {@code good} events, fails (or never answers) the next {@code failing}, then heals. */
    private static final class BreakingSink implements EventSink {
        private final MemorySink delegate = new MemorySink();
        private final AtomicInteger calls = new AtomicInteger();
        private final int good;
        private final int failing;
        private final boolean hang;

        BreakingSink(int good, int failing, boolean hang) {
            this.good = good;
            this.failing = failing;
            this.hang = hang;
        }

        @Override
        public CompletableFuture<Publication> publish(String stream, JsonNode data) {
            int n = calls.incrementAndGet();
            if (n <= good || n > good + failing) return delegate.publish(stream, data);
            if (hang) return new CompletableFuture<>();
            return CompletableFuture.failedFuture(new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "disk full"));
        }

        List<String> events() {
            return delegate.publications().stream().map(p -> p.data().path("event").asText()).toList();
        }

        JsonNode last(String event) {
            return delegate.publications().stream().map(Publication::data)
                    .filter(d -> d.path("event").asText().equals(event)).reduce((a, b) -> b).orElseThrow();
        }
    }

    private static void runUntilEnded(BreakingSink sink, AgentRuntimeConfig config) {
        AgentRuntime rt = new AgentRuntime(sink, List.of(new DemoAgent(DEMO)), "demo", config);
        started(rt.start(message("s1", null, "hi")));
        awaitTrue(() -> rt.activeRuns("s1").isEmpty(), "the run ended");
        rt.shutdown(MemorySink.GUARD);
    }

    @Test
    void aFailingSinkEndsTheRunAndItsEndIsStoredOnceTheSinkIsBack() {
        BreakingSink sink = new BreakingSink(0, 2, false); // plan.start fails, then the first agent.error attempt
        runUntilEnded(sink, AgentRuntimeConfig.defaults());
        assertThat(sink.calls).hasValue(4); // the agent's event once, agent.error twice, pipeline.completed once
        assertThat(sink.events()).containsExactly("agent.error", "pipeline.completed");
        assertThat(sink.last("agent.error").path("metadata").path("code").asText()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(sink.last("pipeline.completed").path("metadata").path("status").asText()).isEqualTo("failed");
    }

    @Test
    void aSinkFailingMidRunEndsItThere() {
        BreakingSink sink = new BreakingSink(3, 1, false);
        runUntilEnded(sink, AgentRuntimeConfig.defaults());
        assertThat(sink.calls).hasValue(6);
        assertThat(sink.events()).containsExactly("plan.start", "agent.thinking", "agent.thinking", "agent.error",
                "pipeline.completed");
    }

    @Test
    void aSinkThatNeverAnswersEndsTheRunAfterThePublishTimeout() {
        BreakingSink sink = new BreakingSink(1, 1, true);
        runUntilEnded(sink, AgentRuntimeConfig.defaults().withPublishTimeout(Duration.ofMillis(50)));
        assertThat(sink.calls).hasValue(4);
        assertThat(sink.last("agent.error").path("metadata").path("code").asText()).isEqualTo("TIMEOUT");
        assertThat(sink.last("pipeline.completed").path("metadata").path("status").asText()).isEqualTo("failed");
    }
}
