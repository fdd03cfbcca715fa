package io.agentwire.agent;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventSink;
import io.agentwire.core.Publication;
import io.agentwire.core.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Builds the events of one run and publishes them to the session's stream, one at a time and in order, waiting
 * for each. Keeps the run's two end states: {@code pipeline.completed} emitted (nothing may follow) and
 * publishing failed (nothing more is attempted).
 */
final class EventPublisher {
    static final String COMPLETED = RunEvent.COMPLETED;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final EventSink sink;
    private final String sessionId;
    private final String runId;
    private final Duration timeout;
    private final Clock clock;
    private final long startNanos = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile String completedStatus;
    private volatile AgentWireException failure;

    EventPublisher(EventSink sink, String sessionId, String runId, Duration timeout, Clock clock) {
        this.sink = sink;
        this.sessionId = sessionId;
        this.runId = runId;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Publishes one event; {@code beforeCompleted} runs just before a {@code pipeline.completed} goes out. */
    Publication publish(String event, String stepId, JsonNode content, ObjectNode metadata, String showContent,
                        Runnable beforeCompleted) {
        if (event == null || !EVENT.matcher(event).matches() || event.startsWith("user.")
                || event.startsWith("system.")) {
            throw new IllegalArgumentException("not an agent event name: " + event);
        }
        if (content != null && !content.isObject()) throw new IllegalArgumentException("content must be an object");
        lock.lock();
        try {
            if (failure != null) throw new AgentWireException(failure.code(), failure.getMessage(), failure);
            if (completedStatus != null) {
                throw new IllegalStateException("run " + runId + " has completed; " + event + " can not follow");
            }
            ObjectNode data = envelope(event, stepId, content, metadata, showContent);
            if (event.equals(COMPLETED)) {
                completedStatus = data.path("metadata").path("status").asText();
                beforeCompleted.run();
            }
            return await(event, send(data));
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode envelope(String event, String stepId, JsonNode content, ObjectNode metadata,
                                String showContent) {
        ObjectNode meta = metadata == null ? JSON.objectNode() : metadata.deepCopy();
        meta.put("run_id", runId);
        if (event.equals(COMPLETED)) {
            if (!meta.has("status")) meta.put("status", "completed");
            if (!meta.has("duration_ms")) meta.put("duration_ms", elapsed().toMillis());
        }
        return new RunEvent(sessionId, event, stepId, TIMESTAMP.format(clock.instant()),
                content == null ? JSON.objectNode() : (ObjectNode) content.deepCopy(), meta, showContent).toJson();
    }

    private CompletableFuture<Publication> send(ObjectNode data) {
        try {
            CompletableFuture<Publication> f = sink.publish(Session.streamOf(sessionId), data);
            return f != null ? f : CompletableFuture.failedFuture(new IllegalStateException("sink returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for the publication, uninterruptibly but within the timeout; restores an interrupt it swallowed. */
    private Publication await(String event, CompletableFuture<Publication> f) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    Publication p = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (p == null) throw fail(event, new IllegalStateException("sink completed with null"));
                    return p;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CompletionException e) {
                    throw fail(event, e.getCause() == null ? e : e.getCause());
                } catch (TimeoutException e) {
                    throw fail(event, new AgentWireException(ErrorCode.TIMEOUT,
                            "not published within " + timeout.toMillis() + " ms"));
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private AgentWireException fail(String event, Throwable cause) {
        ErrorCode code = cause instanceof AgentWireException a ? a.code() : ErrorCode.INTERNAL_ERROR;
        failure = new AgentWireException(code,
                "could not publish " + event + " of run " + runId + ": " + cause.getMessage(), cause);
        return failure;
    }

    /**
     * After a publishing failure ended the run: stores {@code agent.error} (the failure's code) and
     * {@code pipeline.completed {status: failed}}, retrying every {@code retryEvery} until the sink takes them (the
     * broker or store is back) or {@code giveUpAfter} has passed, so that the session's clients and history see the
     * run end. Returns whether both were stored. Blocks: the run's own thread.
     */
    boolean endAfterFailure(Duration giveUpAfter, Duration retryEvery) {
        AgentWireException cause = failure;
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        boolean errorStored = false;
        while (true) {
            EventPublisher fresh = new EventPublisher(sink, sessionId, runId, timeout, clock);
            try {
                if (!errorStored) {
                    fresh.publish("agent.error", null, JSON.objectNode().put("message",
                            "the run's events could not be published: " + cause.code().defaultMessage()),
                            JSON.objectNode().put("code", cause.code().name()), null, () -> { });
                    errorStored = true;
                }
                fresh.publish(COMPLETED, null, JSON.objectNode(), JSON.objectNode().put("status", "failed")
                        .put("duration_ms", elapsed().toMillis()), null, () -> { });
                completedStatus = "failed";
                return true;
            } catch (AgentWireException e) {
                if (System.nanoTime() - deadline > 0) return false;
                try {
                    Thread.sleep(retryEvery.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** The status of the emitted {@code pipeline.completed}, or null if none was emitted. */
    String completedStatus() {
        return completedStatus;
    }

    /** The publishing failure that ended the run, or null. */
    AgentWireException failure() {
        return failure;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
