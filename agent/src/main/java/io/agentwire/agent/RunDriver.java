package io.agentwire.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one agent run on its thread and ends it: whatever the agent does (returns, is cancelled, throws, can not
 * publish), exactly one {@code pipeline.completed} is published, the run leaves the active set, and its start and
 * end are logged. When its events could not be published (the broker or store stalled or is down), the run ends
 * {@code failed} with {@code agent.error}, stored as soon as the broker takes writes again (retried every
 * {@link #END_RETRY_EVERY} for up to {@link #END_RETRY_FOR}); it stays in the active set meanwhile.
 * While it runs, the log's MDC holds {@code run_id}, {@code session_id} and {@code agent} (JSON logs carry them on
 * every line the run's thread writes).
 */
final class RunDriver implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RunDriver.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final java.time.Duration END_RETRY_FOR = java.time.Duration.ofMinutes(10);
    static final java.time.Duration END_RETRY_EVERY = java.time.Duration.ofSeconds(1);

    private final Agent agent;
    private final RunContext ctx;
    private final RunMeters meters;

    RunDriver(Agent agent, RunContext ctx, RunMeters meters) {
        this.agent = agent;
        this.ctx = ctx;
        this.meters = meters;
    }

    @Override
    public void run() {
        RunRequest request = ctx.request();
        MDC.put("run_id", request.runId());
        MDC.put("session_id", request.sessionId());
        MDC.put("agent", agent.name());
        log.info("run started session={} run={} agent={}", request.sessionId(), request.runId(), agent.name());
        meters.started(agent.name());
        ctx.attach(); // from here on a cancel may interrupt this thread
        String status = "failed";
        try {
            status = finish(execute(request));
        } catch (RuntimeException | Error e) {
            log.error("run ended abnormally session={} run={}", request.sessionId(), request.runId(), e);
        } finally {
            ctx.end();
            log.info("run ended session={} run={} agent={} status={} duration_ms={}", request.sessionId(),
                    request.runId(), agent.name(), status, ctx.events().elapsed().toMillis());
            meters.ended(agent.name(), status, ctx.events().elapsed());
            MDC.remove("run_id");
            MDC.remove("session_id");
            MDC.remove("agent");
        }
    }

    /** Runs the agent; returns what it threw (null if it returned or was cancelled). */
    private Throwable execute(RunRequest request) {
        try {
            agent.run(request, ctx);
            return null;
        } catch (RunCancelledException e) {
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            ctx.detach();
        }
    }

    /** Publishes what the agent left out of the run's end; returns the run's final status. */
    private String finish(Throwable thrown) {
        RunRequest r = ctx.request();
        EventPublisher events = ctx.events();
        AgentWireException failure = events.failure();
        if (failure != null) {
            log.error("run ended: its events could not be published session={} run={} code={}; storing its end "
                    + "(agent.error, pipeline.completed failed) once the broker takes writes", r.sessionId(), r.runId(),
                    failure.code(), failure);
            if (events.endAfterFailure(END_RETRY_FOR, END_RETRY_EVERY)) {
                log.info("run end stored after the publishing failure session={} run={}", r.sessionId(), r.runId());
            } else {
                log.error("run end could not be stored within {} session={} run={}", END_RETRY_FOR, r.sessionId(), r.runId());
            }
            return "failed";
        }
        if (events.completedStatus() != null) {
            if (thrown != null) {
                log.error("agent failed after pipeline.completed session={} run={}", r.sessionId(), r.runId(), thrown);
            }
            return events.completedStatus();
        }
        String status;
        if (ctx.cancelled()) {
            status = "cancelled";
            if (thrown != null) log.debug("agent ended with {} after cancellation run={}", thrown, r.runId());
        } else if (thrown != null) {
            status = "failed";
            log.error("agent failed session={} run={} agent={}", r.sessionId(), r.runId(), agent.name(), thrown);
        } else {
            status = "completed";
        }
        try {
            if (status.equals("failed")) reportFailure(thrown);
            ctx.emit(EventPublisher.COMPLETED, null, null, JSON.objectNode().put("status", status));
        } catch (AgentWireException e) {
            log.error("could not publish the end of the run session={} run={} code={}", r.sessionId(), r.runId(),
                    e.code(), e);
        }
        return status;
    }

    private void reportFailure(Throwable thrown) {
        String message = thrown instanceof AgentWireException e && e.getMessage() != null
                ? e.getMessage() : "The agent failed.";
        ObjectNode meta = JSON.objectNode().put("code", ErrorCode.AGENT_FAILED.name());
        if (thrown instanceof AgentWireException e) meta.put("reason", e.code().name()); // e.g. MODEL_REJECTED, TIMEOUT
        ctx.emit("agent.error", null, JSON.objectNode().put("message", message), meta);
    }
}
