package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AgentContext's retry, within, parallel and onCancel, in real runs. */
class StructuredStepsTest {
    private final MemorySink sink = new MemorySink();
    private AgentRuntime runtime;

    @AfterEach
    void stop() {
        if (runtime != null) runtime.shutdown(MemorySink.GUARD);
    }

    private String run(Fixtures.Body body) {
        runtime = new AgentRuntime(sink, List.of(agent("a", body)), "a", AgentRuntimeConfig.defaults());
        return started(runtime.start(message("s1", null, "hi")));
    }

    /** Cancels the run once {@code ready} is counted down (the children are where the test wants them). */
    private void cancelOnce(CountDownLatch ready, String runId) {
        try {
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        runtime.cancel("s1", runId);
    }

    private static void sleepForever() throws InterruptedException {
        Thread.sleep(Duration.ofMinutes(10));
    }

    @Test
    void theBackoffFollowsTheEnvelopeSpec() {
        RetryPolicy p = RetryPolicy.ENVELOPE;
        SplittableRandom random = new SplittableRandom(1);
        long[][] bounds = {{900, 1100}, {1800, 2200}, {3600, 4400}, {7200, 8800}, {14400, 17600}, {28800, 35200},
                {54000, 66000}, {54000, 66000}};
        for (int attempt = 1; attempt <= bounds.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                assertThat(p.delayAfter(attempt, random).toMillis()).isBetween(bounds[attempt - 1][0], bounds[attempt - 1][1]);
            }
        }
        assertThat(p.maxAttempts()).isEqualTo(5);
    }

    @Test
    void retryAnnouncesEachRetryAndGivesUpAfterTheLastAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        String runId = run((r, ctx) -> ctx.retry("the thing", RetryPolicy.of(3, Duration.ofMillis(5)), () -> {
            attempts.incrementAndGet();
            throw new RetryableException(ErrorCode.UPSTREAM_ERROR, "hiccup");
        }));
        JsonNode end = sink.awaitEnd(runId);

        assertThat(attempts).hasValue(3);
        assertThat(sink.names(runId)).containsExactly("error.retry_attempt", "error.retry_attempt", "agent.error", "pipeline.completed");
        assertThat(sink.await(runId, "error.retry_attempt").at("/content/message").asText())
                .startsWith("the thing failed (hiccup); retrying in ");
        assertThat(sink.await(runId, "agent.error").at("/content/message").asText()).isEqualTo("hiccup");
        assertThat(end.at("/metadata/status").asText()).isEqualTo("failed");
    }

    @Test
    void retryLetsOtherFailuresThrough() {
        AtomicInteger attempts = new AtomicInteger();
        String runId = run((r, ctx) -> ctx.retry("x", RetryPolicy.of(5, Duration.ofMillis(5)), () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("a bug");
        }));
        sink.awaitEnd(runId);
        assertThat(attempts).hasValue(1);
        assertThat(sink.names(runId)).doesNotContain("error.retry_attempt");
    }

    @Test
    void aCancelEndsTheWaitBetweenAttempts() {
        String runId = run((r, ctx) -> ctx.retry("x", RetryPolicy.of(5, Duration.ofMinutes(10)), () -> {
            throw new RetryableException(ErrorCode.UPSTREAM_ERROR, "hiccup");
        }));
        sink.await(runId, "error.retry_attempt");
        runtime.cancel("s1", runId);
        assertThat(sink.awaitEnd(runId).at("/metadata/status").asText()).isEqualTo("cancelled");
    }

    @Test
    void withinTimesAStepOutInterruptsItAndReportsIt() {
        AtomicBoolean stepInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        String runId = run((r, ctx) -> {
            try {
                ctx.within("slow_step", Duration.ofMillis(100), () -> {
                    try {
                        sleepForever();
                    } catch (InterruptedException e) {
                        stepInterrupted.set(true);
                    }
                    return null;
                });
            } catch (StepTimeoutException e) {
                thrown.set(e);
            }
            ctx.emit("agent.thinking", null, null); // the run goes on after a timeout it handles
        });
        JsonNode end = sink.awaitEnd(runId);

        assertThat(stepInterrupted).isTrue();
        assertThat(thrown.get()).isInstanceOf(StepTimeoutException.class);
        assertThat(sink.names(runId)).containsExactly("error.timeout", "agent.thinking", "pipeline.completed");
        JsonNode timeout = sink.await(runId, "error.timeout");
        assertThat(timeout.at("/metadata/code").asText()).isEqualTo("TIMEOUT");
        assertThat(timeout.at("/metadata/step_id").asText()).isEqualTo("slow_step");
        assertThat(timeout.at("/metadata/timeout_ms").asLong()).isEqualTo(100);
        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
    }

    @Test
    void withinReturnsTheResultAndRethrowsTheStepsFailure() {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String runId = run((r, ctx) -> {
            result.set(ctx.within("s", Duration.ofSeconds(30), () -> 42));
            try {
                ctx.within("s", Duration.ofSeconds(30), () -> {
                    throw new IllegalArgumentException("bad");
                });
            } catch (IllegalArgumentException e) {
                failure.set(e);
            }
        });
        sink.awaitEnd(runId);
        assertThat(result.get()).isEqualTo(42);
        assertThat(failure.get()).hasMessage("bad");
    }

    @Test
    void parallelRunsTasksAtOnceAndReturnsResultsInOrder() {
        AtomicReference<List<String>> results = new AtomicReference<>();
        CountDownLatch allStarted = new CountDownLatch(3);
        String runId = run((r, ctx) -> {
            List<Callable<String>> tasks = List.of("a", "b", "c").stream().<Callable<String>>map(name -> () -> {
                allStarted.countDown();
                // each waits for the others: only passes if they run at the same time
                if (!allStarted.await(10, TimeUnit.SECONDS)) throw new AssertionError("not concurrent");
                ctx.emit("agent.thinking", null, null);
                return name.toUpperCase();
            }).toList();
            results.set(ctx.parallel(tasks));
        });
        JsonNode end = sink.awaitEnd(runId);
        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(results.get()).containsExactly("A", "B", "C");
        assertThat(sink.names(runId)).containsExactly("agent.thinking", "agent.thinking", "agent.thinking", "pipeline.completed");
    }

    @Test
    void theFirstFailureCancelsTheSiblingsAndIsThrownOnceAllEnded() {
        AtomicInteger siblingsInterrupted = new AtomicInteger();
        AtomicInteger hooksRun = new AtomicInteger();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(2);
        String runId = run((r, ctx) -> {
            Callable<String> sibling = () -> {
                try (AgentContext.Registration h = ctx.onCancel(hooksRun::incrementAndGet)) {
                    waiting.countDown();
                    sleepForever();
                } catch (InterruptedException e) {
                    siblingsInterrupted.incrementAndGet();
                }
                return "never";
            };
            Callable<String> failing = () -> {
                waiting.await();
                throw new IllegalStateException("boom");
            };
            try {
                ctx.parallel(List.of(sibling, failing, sibling));
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
            assertThat(ctx.cancelled()).isFalse(); // a sibling's failure does not cancel the run
        });
        JsonNode end = sink.awaitEnd(runId);
        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(thrown.get()).hasMessage("boom");
        assertThat(siblingsInterrupted).hasValue(2);
        assertThat(hooksRun).hasValue(2);
    }

    @Test
    void cancellingTheRunCancelsEveryChildAndRunsTheirHooks() {
        AtomicInteger hooksRun = new AtomicInteger();
        CountDownLatch waiting = new CountDownLatch(2);
        String runId = run((r, ctx) -> {
            Callable<Void> child = () -> {
                try (AgentContext.Registration h = ctx.onCancel(hooksRun::incrementAndGet)) {
                    waiting.countDown();
                    ctx.pause(Duration.ofMinutes(10));
                }
                return null;
            };
            ctx.parallel(List.of(child, child));
        });
        cancelOnce(waiting, runId);
        assertThat(sink.awaitEnd(runId).at("/metadata/status").asText()).isEqualTo("cancelled");
        // the hooks run on the cancelling path, which may finish a moment after the run's end is published
        Fixtures.awaitTrue(() -> hooksRun.get() == 2, "both children's cancel hooks ran");
        assertThat(hooksRun).hasValue(2);
    }

    @Test
    void aChildThatSeesTheRunCancelledBeforeItsOwnCancelStillHasItsHooksRun() {
        AtomicInteger hooksRun = new AtomicInteger();
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch childLeft = new CountDownLatch(1);
        String runId = run((r, ctx) -> {
            // the run's first hook holds the run's cancel until the child has seen cancelled() and left: the
            // child sees the run cancelled before Forks' cancel (the run's second hook) reaches it
            ctx.onCancel(() -> {
                try {
                    childLeft.await(MemorySink.GUARD.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Callable<Void> child = () -> {
                try (AgentContext.Registration h = ctx.onCancel(hooksRun::incrementAndGet)) {
                    registered.countDown();
                    while (!ctx.cancelled()) Thread.onSpinWait();
                }
                childLeft.countDown();
                return null;
            };
            ctx.parallel(List.of(child));
        });
        cancelOnce(registered, runId);
        assertThat(sink.awaitEnd(runId).at("/metadata/status").asText()).isEqualTo("cancelled");
        assertThat(hooksRun).hasValue(1);
    }
}
