package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.EventSink;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A cancel never interrupts the run's thread inside the sink, and is delivered as soon as it leaves it. */
class CancellationTest {

    /** Blocks inside publish of the first event (as a synchronous store write would) until {@code gate} opens. */
    private static final class BlockingSink implements EventSink {
        final MemorySink delegate = new MemorySink();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicBoolean interruptedInside = new AtomicBoolean();

        @Override
        public CompletableFuture<Publication> publish(String stream, JsonNode data) {
            if (data.path("event").asText().equals("agent.thinking")) {
                entered.countDown();
                try {
                    if (!gate.await(10, TimeUnit.SECONDS)) throw new AssertionError("gate not opened");
                } catch (InterruptedException e) {
                    interruptedInside.set(true);
                }
                if (Thread.currentThread().isInterrupted()) interruptedInside.set(true);
            }
            return delegate.publish(stream, data);
        }
    }

    @Test
    void aCancelDuringPublishingIsDeliveredRightAfterIt() throws InterruptedException {
        BlockingSink sink = new BlockingSink();
        AtomicBoolean sleepInterrupted = new AtomicBoolean();
        Agent agent = agent("sleeper", (r, ctx) -> {
            ctx.emit("agent.thinking", null, null);
            try {
                Thread.sleep(Duration.ofMinutes(10)); // ends within the guard only if the owed interrupt arrives
            } catch (InterruptedException e) {
                sleepInterrupted.set(true);
            }
        });
        AgentRuntime rt = new AgentRuntime(sink, List.of(agent), "sleeper", AgentRuntimeConfig.defaults());
        String runId = started(rt.start(message("s1", null, "hi")));
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(rt.cancel("s1", runId).count()).isEqualTo(1);
        sink.gate.countDown();
        JsonNode end = sink.delegate.awaitEnd(runId);

        assertThat(sink.interruptedInside).isFalse();
        assertThat(sleepInterrupted).isTrue();
        assertThat(sink.delegate.names(runId)).containsExactly("agent.thinking", "pipeline.completed");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("cancelled");
        rt.shutdown(MemorySink.GUARD);
    }

    @Test
    void aHookRegisteredByTheInterruptedThreadRunsEvenIfThatThreadClosesItAtOnce() throws Exception {
        Cancellation cancellation = new Cancellation();
        CountDownLatch registered = new CountDownLatch(1);
        AtomicBoolean childHookRan = new AtomicBoolean();
        Thread child = Thread.ofVirtual().unstarted(() -> {
            cancellation.attach();
            try (AgentContext.Registration h = cancellation.onRequest(() -> childHookRan.set(true))) {
                registered.countDown();
                Thread.sleep(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                // leaves the try at once: the registration closes while the requester may still run hooks
            }
        });
        // registered first, so it runs first: it holds the requester until the child has closed its registration,
        // which is the interleaving that used to skip the child's hook
        cancellation.onRequest(() -> {
            try {
                child.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        child.start();
        assertThat(registered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(cancellation.request()).isTrue();

        assertThat(child.join(Duration.ofSeconds(10))).isTrue();
        assertThat(childHookRan).isTrue();
        assertThat(cancellation.request()).isFalse();
    }
}
