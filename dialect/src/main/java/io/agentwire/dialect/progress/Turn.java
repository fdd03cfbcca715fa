package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentGateway;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import io.agentwire.core.RunEvent;
import io.agentwire.core.Subscriber;
import io.agentwire.core.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One query of one session, from the stored user message to the final {@code tool_count}: it follows the run's
 * events on the session's core stream ({@code session:progress-<session_id>}), subscribing before the run starts so
 * nothing is missed, maps them ({@link AgentEvents}) to {@code agent_event}s for the session's room, and ends with
 * exactly one {@code query_complete} (preceded by {@code error} when the run failed), then {@code session_memory},
 * then {@code tool_count}. Every emit to the room is chained after the previous one, so the room sees them in this
 * order on every broker.
 */
final class Turn implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Turn.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a turn needs from its dialect. */
    interface Host {
        CompletableFuture<?> emitToRoom(String sessionId, String event, JsonNode payload);
        CompletableFuture<Integer> toolCount();
        void ended(Turn turn, ObjectNode queryComplete);
    }

    private final ProgressDialect.Parts parts;
    private final Host host;
    final String sessionId;
    private final String prompt;
    private final io.agentwire.core.Principal principal;
    private final AgentEvents events = new AgentEvents();
    private final List<Publication> early = new ArrayList<>(); // guarded by this, until runId is known
    private CompletableFuture<?> emits = CompletableFuture.completedFuture(null); // guarded by this
    private String runId;          // guarded by this
    private boolean finished;      // guarded by this
    private volatile Subscription subscription;

    Turn(ProgressDialect.Parts parts, Host host, String sessionId, String prompt, io.agentwire.core.Principal principal) {
        this.parts = parts;
        this.host = host;
        this.sessionId = sessionId;
        this.prompt = prompt;
        this.principal = principal;
    }

    /** The core session id the run is on: disjoint from the envelope's session ids. */
    static String coreSession(String sessionId) {
        return "progress-" + sessionId;
    }

    /** Stores the user message, subscribes to the run's stream and starts the run. */
    void start() {
        parts.memory().last(sessionId, parts.settings().memoryMessages())
                .thenCompose(context -> parts.memory().append(sessionId, "user", prompt).thenApply(p -> context))
                .thenCompose(context -> parts.node().subscribe("session:" + coreSession(sessionId), this, null)
                        .thenApply(resume -> {
                            subscription = resume.subscription();
                            return context;
                        }))
                .thenAccept(this::startRun)
                .exceptionally(e -> {
                    log.warn("progress {}: the query could not start", sessionId, e);
                    fail("The query could not start: the server could not store it. Please try again.");
                    return null;
                });
    }

    private void startRun(ArrayNode context) {
        ObjectNode metadata = NODES.objectNode().put("confirm", false).put("source", "progress")
                .put("progress_session_id", sessionId);
        metadata.set("context", context);
        AgentGateway.Reply reply = parts.agents().start(new AgentGateway.RunStart(coreSession(sessionId), principal,
                parts.settings().agent(), prompt, null, metadata));
        if (!reply.accepted()) {
            fail(reply.message() == null ? "The agent could not start." : reply.message());
            return;
        }
        List<Publication> held;
        synchronized (this) {
            runId = reply.runId();
            held = new ArrayList<>(early);
            early.clear();
        }
        held.forEach(this::onPublication);
    }

    @Override
    public void onPublication(Publication p) {
        JsonNode e = p.data();
        ObjectNode agentEvent;
        boolean last;
        synchronized (this) {
            if (finished) return;
            if (runId == null) {
                early.add(p);
                return;
            }
            if (!runId.equals(e.path("metadata").path("run_id").asText())) return;
            String name = e.path("event").asText("");
            if (name.equals(RunEvent.USER_CONFIRM)) approve(e);
            agentEvent = events.map(e);
            last = name.equals(RunEvent.COMPLETED);
            if (agentEvent != null) chain("agent_event", agentEvent);
        }
        if (last) complete(e.path("metadata").path("status").asText("completed"));
    }

    @Override
    public void onTerminated(ErrorCode reason) {
        fail("The run's events were lost (" + reason + "); see GET /api/session/" + sessionId + "/messages.");
    }

    /** The progress API has no way to ask the user: a plan confirmation is approved at once. */
    private void approve(JsonNode e) {
        String step = e.path("step_id").asText(null);
        if (step == null) return;
        parts.agents().respond(coreSession(sessionId), step, NODES.objectNode().put("approved", true));
    }

    private void complete(String status) {
        if (status.equals("completed")) {
            finish(events.answeredSuccess(), events.response(), null);
        } else {
            String why = events.error() != null ? events.error() : switch (status) {
                case "cancelled" -> "The run was cancelled.";
                case "interrupted" -> "The server stopped during the run.";
                case "rejected" -> "The plan was rejected.";
                default -> "The agent failed.";
            };
            finish(false, why, why);
        }
    }

    private void fail(String message) {
        finish(false, message, message);
    }

    /** Ends the turn once: error (on failure), the assistant message, query_complete, session_memory, tool_count. */
    private void finish(boolean success, String response, String error) {
        synchronized (this) {
            if (finished) return;
            finished = true;
        }
        Subscription s = subscription;
        if (s != null) s.close();
        ObjectNode qc = NODES.objectNode().put("success", success).put("response", response == null ? "" : response);
        qc.set("metadata", events.metadata());
        qc.put("session_id", sessionId);
        synchronized (this) {
            if (error != null) {
                parts.meters().error(ErrorCode.AGENT_FAILED.name());
                chain("error", NODES.objectNode().put("message", error));
            }
        }
        parts.memory().append(sessionId, "assistant", qc.path("response").asText())
                .exceptionally(e -> {
                    log.warn("progress {}: the answer could not be stored", sessionId, e);
                    return null;
                })
                .thenRun(() -> {
                    synchronized (this) {
                        chain("query_complete", qc);
                        emits = emits.thenCompose(x -> parts.memory().last(sessionId, parts.settings().memoryMessages()))
                                .thenCompose(m -> host.emitToRoom(sessionId, "session_memory",
                                        ProgressDialect.sessionMemory(sessionId, (ArrayNode) m)))
                                .thenCompose(x -> host.toolCount())
                                .thenCompose(n -> host.emitToRoom(sessionId, "tool_count", ProgressDialect.toolCount(n)));
                        emits.whenComplete((x, e) -> {
                            if (e != null) log.warn("progress {}: the end of the query was not delivered", sessionId, e);
                            host.ended(this, qc);
                        });
                    }
                });
    }

    /** Emits to the session's room after everything emitted before (caller holds the lock). */
    private void chain(String event, JsonNode payload) {
        emits = emits.exceptionally(e -> null).thenCompose(x -> host.emitToRoom(sessionId, event, payload));
    }

    synchronized boolean finished() {
        return finished;
    }
}
