package io.agentwire.agent.remote;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunCancelledException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one run of a remote agent on the run's thread: offers it to the agent, publishes the agent's events in
 * the order of their {@code n} (each once: a resent {@code n} is answered again, not published again), asks the
 * user what the agent's {@code agent.user_confirm} asks, passes a cancellation on, and ends the run when the agent
 * sends {@code run.end}, when a cancelled agent does not end it in time, or when the agent is lost.
 */
final class RemoteRunLoop {
    private static final Logger log = LoggerFactory.getLogger(RemoteRunLoop.class);

    private final Registration registration;
    private final RemoteRun run;
    private final AgentContext ctx;
    private final RemoteAgentsConfig config;
    private long cancelDeadline;

    RemoteRunLoop(Registration registration, RemoteRun run, AgentContext ctx, RemoteAgentsConfig config) {
        this.registration = registration;
        this.run = run;
        this.ctx = ctx;
        this.config = config;
    }

    void play() {
        if (!registration.attach(run)) run.lose("the agent is gone");
        Registration.Ended end = new Registration.Ended("failed", 0, null);
        boolean byAgent = false;
        try {
            if (ctx.cancelled()) cancel();
            while (true) {
                Inbound m = next();
                if (m == null) {
                    end = new Registration.Ended("cancelled", 0, null);
                    return; // cancelled: the runtime publishes pipeline.completed {status: cancelled}
                }
                switch (m) {
                    case Inbound.Lost lost -> {
                        endLost(lost.why());
                        return;
                    }
                    case Inbound.Event e -> handle(e);
                    case Inbound.End e -> {
                        if (e.n() <= run.lastN) {
                            reanswer(e.n());
                            continue;
                        }
                        end = finish(e);
                        byAgent = true;
                        return;
                    }
                    default -> { } // Dropped: only matters while cancelling (next() looks)
                }
            }
        } finally {
            registration.detach(run, end, byAgent);
        }
    }

    /** The next message; null once a cancelled run should end without waiting for the agent any longer. */
    private Inbound next() {
        while (true) {
            try {
                if (!run.cancelling) return run.next(-1);
                if (!registration.connected()) return null;
                long left = cancelDeadline - System.nanoTime();
                if (left <= 0) {
                    log.info("remote agent {} did not end cancelled run {} within {} ms", registration.name,
                            run.runId(), config.cancelTimeout().toMillis());
                    return null;
                }
                Inbound m = run.next(left);
                if (m == null || m instanceof Inbound.Dropped) continue;
                return m;
            } catch (InterruptedException e) {
                if (run.lost() != null) return new Inbound.Lost(run.lost());
                cancel();
            }
        }
    }

    /** Passes the cancellation on: the agent gets run.cancel and {@code cancelTimeout} to report and end. */
    private void cancel() {
        if (run.cancelling) return;
        run.cancelling = true;
        cancelDeadline = System.nanoTime() + config.cancelTimeout().toNanos();
        registration.send(Outbound.runCancel(run.runId()));
    }

    private void handle(Inbound.Event e) {
        if (e.n() <= run.lastN) {
            reanswer(e.n());
            return;
        }
        if (e.confirm() != null) {
            confirm(e);
            return;
        }
        ObjectNode meta = e.metadata() == null ? AgentWire.JSON.createObjectNode() : e.metadata().deepCopy();
        meta.put("agent", registration.name); // every event of the run names the agent that ran it
        Publication p = ctx.emit(e.event(), e.stepId(), e.content(), meta, e.showContent());
        run.seqs.put(e.n(), p.offset());
        run.lastN = e.n();
        registration.send(Outbound.ack(run.runId(), e.n(), p.offset()));
    }

    /** Asks the user; the answer goes to the agent as run.response, then the ack. */
    private void confirm(Inbound.Event e) {
        Inbound.Confirm c = e.confirm();
        JsonNode answer;
        if (!run.enterConfirm()) {
            run.lastN = e.n(); // lost: the Lost signal is queued and ends the run next
            return;
        }
        try {
            answer = ctx.confirm(e.stepId(), c.prompt(), c.options(), c.defaultOption(), Duration.ofMillis(c.timeoutMs()));
        } catch (RunCancelledException cancelled) {
            run.lastN = e.n();
            registration.send(Outbound.ack(run.runId(), e.n(), null));
            if (run.lost() == null) cancel();
            return;
        } catch (IllegalStateException | IllegalArgumentException refused) {
            run.lastN = e.n();
            registration.send(Outbound.error(ErrorCode.INVALID_FIELD, "step_id", refused.getMessage(), run.runId(), e.n()));
            return;
        } finally {
            run.leaveConfirm();
        }
        String response = Outbound.runResponse(run.runId(), e.n(), e.stepId(), answer);
        run.responses.put(e.n(), response);
        run.lastResponse = response;
        run.lastN = e.n();
        registration.send(response);
        registration.send(Outbound.ack(run.runId(), e.n(), null));
    }

    /** A resent message already handled: the same answer again, nothing published. */
    private void reanswer(long n) {
        String response = run.responses.get(n);
        if (response != null) registration.send(response);
        registration.send(Outbound.ack(run.runId(), n, run.seqs.get(n)));
    }

    private Registration.Ended finish(Inbound.End e) {
        ObjectNode meta = e.metadata().deepCopy().put("status", e.status());
        meta.put("agent", registration.name);
        Publication p = ctx.emit(RunEvent.COMPLETED, null, null, meta);
        run.seqs.put(e.n(), p.offset());
        run.lastN = e.n();
        registration.send(Outbound.ack(run.runId(), e.n(), p.offset()));
        return new Registration.Ended(e.status(), e.n(), p.offset());
    }

    private void endLost(String why) {
        ObjectNode meta = AgentWire.JSON.createObjectNode().put("code", ErrorCode.REMOTE_AGENT_LOST.name());
        meta.put("agent", registration.name).put("grace_ms", config.grace().toMillis());
        String message = "The remote agent " + registration.name + " disconnected and " + (why.contains("without")
                ? "came back without this run." : "did not come back within " + config.grace().toMillis() + " ms.");
        ctx.emit("agent.error", null, AgentWire.JSON.createObjectNode().put("message", message), meta);
        ctx.emit(RunEvent.COMPLETED, null, null, AgentWire.JSON.createObjectNode().put("status", "failed")
                .put("agent", registration.name));
        log.warn("run {} of session {} ended: remote agent {} lost ({})", run.runId(), run.request.sessionId(),
                registration.name, why);
    }
}
