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

/** A sink that fails or never answers ends the run: no hang, no retry loop. */
class SinkFailureTest {
    private static final DemoAgentConfig DEMO = new DemoAgentConfig(Duration.ofMillis(1), false, Duration.ofSeconds(30));

    /** Publishes the first {@code good} events, then answers every publish with {@code failure()}. */
    private static final class BreakingSink implements EventSink {
        private final MemorySink delegate = new MemorySink();
        private final AtomicInteger calls = new AtomicInteger();
        private final int good;
        private final boolean hang;

        BreakingSink(int good, boolean hang) {
            this.good = good;
            this.hang = hang;
        }

        @Override
        public CompletableFuture<Publication> publish(String stream, JsonNode data) {
            if (calls.incrementAndGet() <= good) return delegate.publish(stream, data);
            if (hang) return new CompletableFuture<>();
            return CompletableFuture.failedFuture(new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "disk full"));
        }
    }

    private static void runUntilEnded(BreakingSink sink, AgentRuntimeConfig config) {
        AgentRuntime rt = new AgentRuntime(sink, List.of(new DemoAgent(DEMO)), "demo", config);
        started(rt.start(message("s1", null, "hi")));
        awaitTrue(() -> rt.activeRuns("s1").isEmpty(), "the run ended");
        rt.shutdown(MemorySink.GUARD);
    }

    @Test
    void aFailingSinkEndsTheRunAfterOneAttempt() {
        BreakingSink sink = new BreakingSink(0, false);
        runUntilEnded(sink, AgentRuntimeConfig.defaults());
        assertThat(sink.calls).hasValue(1);
    }

    @Test
    void aSinkFailingMidRunEndsItThere() {
        BreakingSink sink = new BreakingSink(3, false);
        runUntilEnded(sink, AgentRuntimeConfig.defaults());
        assertThat(sink.calls).hasValue(4);
        assertThat(sink.delegate.publications()).extracting(p -> p.data().path("event").asText())
                .containsExactly("plan.start", "agent.thinking", "agent.thinking");
    }

    @Test
    void aSinkThatNeverAnswersEndsTheRunAfterThePublishTimeout() {
        BreakingSink sink = new BreakingSink(1, true);
        runUntilEnded(sink, AgentRuntimeConfig.defaults().withPublishTimeout(Duration.ofMillis(50)));
        assertThat(sink.calls).hasValue(2);
    }
}
