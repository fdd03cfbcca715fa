package io.agentwire.dialect.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentGateway;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Session;
import io.agentwire.core.Sessions;
import io.agentwire.protocol.envelope.Envelope;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the envelope dialect does with each valid client message (the {@code user.*} events of envelope.md).
 * Runs on the sending connection's event loop; store reads and the agent runtime are reached through futures,
 * and their answers come back to the loop. Attaching a connection to a session (new or resumed) is the
 * {@link Resumer}'s; Commands decides when, and Resumer never calls back.
 */
final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Sessions sessions;
    private final AgentGateway agents;
    private final Resumer resumer;
    private final Node node;

    Commands(Node node, Sessions sessions, AgentGateway agents, Resumer resumer) {
        this.node = node;
        this.sessions = sessions;
        this.agents = agents;
        this.resumer = resumer;
    }

    void handle(EnvelopeConnection c, Envelope e) {
        switch (e.event()) {
            case "user.heartbeat" -> { } // liveness is counted by the transport for every frame
            case "user.ack" -> ack(c, e);
            case "user.create_session" -> createSession(c, e);
            case "user.reconnect" -> reconnect(c, e);
            case "user.close_session" -> withSession(c, e, s -> closeSession(c, s));
            case "user.export_state" -> withSession(c, e, s -> resumer.exportState(c, s));
            case "user.message", "user.solve_tasks" -> startRun(c, e);
            case "user.response" -> respond(c, e);
            case "user.cancel" -> withSession(c, e, s -> cancel(c, e, s));
            default -> invalid(c, e, ErrorCode.UNKNOWN_EVENT, "event", "unknown event '" + e.event() + "'");
        }
    }

    private void ack(EnvelopeConnection c, Envelope e) {
        SessionAttachment a = c.attachment();
        if (a == null || (e.sessionId() != null && !e.sessionId().equals(a.sessionId()))) {
            invalid(c, e, ErrorCode.SESSION_REQUIRED, "session_id", "acknowledge only the session this connection is attached to");
            return;
        }
        JsonNode seq = e.content().has("seq") ? e.content().get("seq") : e.metadata().get("seq");
        if (seq == null) {
            invalid(c, e, ErrorCode.MISSING_FIELD, "content.seq", "user.ack needs content.seq");
        } else if (!seq.canConvertToExactIntegral() || seq.asLong() < 0 || seq.asLong() > a.lastSentSeq()) {
            invalid(c, e, ErrorCode.INVALID_FIELD, "content.seq",
                    "seq must be an integer between 0 and the last seq sent (" + a.lastSentSeq() + ")");
        } else {
            sessions.ack(a.sessionId(), seq.asLong());
        }
    }

    private void createSession(EnvelopeConnection c, Envelope e) {
        JsonNode meta = e.content().get("metadata");
        if (meta != null && !meta.isNull() && !meta.isObject()) {
            invalid(c, e, ErrorCode.INVALID_FIELD, "content.metadata", "content.metadata must be an object");
            return;
        }
        ObjectNode metadata = meta instanceof ObjectNode o ? o : JSON.objectNode();
        String tooLarge = sessions.metadataProblem(metadata);
        if (tooLarge != null) {
            invalid(c, e, ErrorCode.INVALID_FIELD, "content.metadata", tooLarge);
            return;
        }
        sessions.create(c.principal(), metadata).whenCompleteAsync((s, err) -> {
            if (err != null && io.agentwire.core.AgentWireException.codeOf(err) == ErrorCode.SESSION_LIMIT) {
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                log.info("session refused to {} on {}: {}", c.principal().id(), c.id(), cause.getMessage());
                invalid(c, e, ErrorCode.SESSION_LIMIT, null, cause.getMessage());
                return;
            }
            if (err != null) {
                failed(c, e, "create a session", err);
                return;
            }
            log.info("session {} created by {} on {}", s.id(), s.owner(), c.id());
            resumer.attachNew(c, s);
        }, c.ws().executor());
    }

    private void reconnect(EnvelopeConnection c, Envelope e) {
        String sid = e.sessionId() != null ? e.sessionId() : e.content().path("session_id").textValue();
        if (sid == null) {
            invalid(c, e, ErrorCode.MISSING_FIELD, "session_id", "user.reconnect needs the session_id to resume");
            return;
        }
        JsonNode last = e.content().has("last_seq") ? e.content().get("last_seq") : e.metadata().get("last_seq");
        if (last != null && !last.isNull() && (!last.canConvertToExactIntegral() || last.asLong() < 0)) {
            invalid(c, e, ErrorCode.INVALID_FIELD, "content.last_seq", "last_seq must be an integer >= 0");
            return;
        }
        Long lastSeq = last == null || last.isNull() ? null : last.asLong();
        sessions.lookup(sid, c.principal()).whenCompleteAsync((found, err) -> {
            if (err != null) {
                failed(c, e, "look the session up", err);
                return;
            }
            switch (found) {
                case Sessions.NotFound x -> c.sendControl(Messages.recoveryFailed(sid, ErrorCode.SESSION_NOT_FOUND));
                case Sessions.Expired x -> c.sendControl(Messages.recoveryFailed(sid, ErrorCode.SESSION_EXPIRED));
                case Sessions.Forbidden x -> forbidden(c, e, sid);
                case Sessions.Found f -> {
                    sessions.touch(f.session()).exceptionally(t -> {
                        log.warn("could not extend the life of session {}", sid, t);
                        return null;
                    });
                    long from = lastSeq != null ? lastSeq : sessions.ackedSeq(f.session());
                    resumer.resume(c, f.session(), from);
                }
            }
        }, c.ws().executor());
    }

    private void closeSession(EnvelopeConnection c, Session s) {
        if (s.status() == Session.Status.CLOSED) {
            c.sendControl(Messages.notice(s.id(), "ALREADY_CLOSED", "the session is already closed", null));
            return;
        }
        sessions.close(s).thenCompose(closed -> {
            agents.cancel(s.id(), null);
            ObjectNode content = JSON.objectNode().put("session_id", s.id());
            return node.publish(s.stream(), EnvelopeCodec.envelope("agent.session_closed", s.id(), null, content, JSON.objectNode()));
        }).whenComplete((p, err) -> {
            if (err != null) c.failed(s.id(), "close the session", err);
            else log.info("session {} closed by {}", s.id(), c.principal().id());
        });
    }

    private void startRun(EnvelopeConnection c, Envelope e) {
        boolean tasksRun = e.event().equals("user.solve_tasks");
        JsonNode text = e.content().get("text");
        JsonNode tasks = e.content().get("tasks");
        if (tasksRun) {
            if (tasks == null || tasks.isNull()) { invalid(c, e, ErrorCode.MISSING_FIELD, "content.tasks", "user.solve_tasks needs content.tasks"); return; }
            if (!tasks.isArray() || tasks.isEmpty()) { invalid(c, e, ErrorCode.INVALID_FIELD, "content.tasks", "content.tasks must be a non-empty array"); return; }
        } else {
            if (text == null || text.isNull()) { invalid(c, e, ErrorCode.MISSING_FIELD, "content.text", "user.message needs content.text"); return; }
            if (!text.isTextual() || text.textValue().isBlank()) { invalid(c, e, ErrorCode.INVALID_FIELD, "content.text", "content.text must be a non-empty string"); return; }
        }
        JsonNode agent = e.metadata().get("agent");
        if (agent != null && !agent.isNull() && !agent.isTextual()) {
            invalid(c, e, ErrorCode.INVALID_FIELD, "metadata.agent", "metadata.agent must be an agent's name");
            return;
        }
        withSession(c, e, s -> {
            if (s.status() == Session.Status.CLOSED) {
                invalid(c, e, ErrorCode.SESSION_CLOSED, "session_id", "the session is closed and accepts no new runs");
                return;
            }
            AgentGateway.Reply reply = agents.start(new AgentGateway.RunStart(s.id(), c.principal(),
                    agent == null ? null : agent.textValue(), tasksRun ? null : text.textValue(), tasksRun ? tasks : null, e.metadata()));
            if (!reply.accepted()) {
                invalid(c, e, reply.code(), null, reply.message());
                return;
            }
            log.debug("run {} started in session {}", reply.runId(), s.id());
            sessions.touch(s);
        });
    }

    private void respond(EnvelopeConnection c, Envelope e) {
        String stepId = e.stepId() != null ? e.stepId() : e.content().path("step_id").textValue();
        if (stepId == null) {
            invalid(c, e, ErrorCode.MISSING_FIELD, "step_id", "user.response needs the step_id of the step it answers");
            return;
        }
        withSession(c, e, s -> {
            AgentGateway.Reply reply = agents.respond(s.id(), stepId, e.content());
            if (!reply.accepted()) invalid(c, e, reply.code(), reply.code() == ErrorCode.UNKNOWN_STEP ? "step_id" : "content", reply.message());
        });
    }

    private void cancel(EnvelopeConnection c, Envelope e, Session s) {
        JsonNode run = e.metadata().get("run_id");
        AgentGateway.Reply reply = agents.cancel(s.id(), run != null && run.isTextual() ? run.textValue() : null);
        if (!reply.accepted()) {
            invalid(c, e, reply.code(), null, reply.message());
        } else if (reply.count() == 0) {
            c.sendControl(Messages.notice(s.id(), "NOTHING_TO_CANCEL", "no run of this session is in progress", null));
        }
    }

    /**
     * Resolves the session a command is about (its session_id, or the attached session) and checks that the
     * connection's principal owns it; answers the client itself when not.
     */
    private void withSession(EnvelopeConnection c, Envelope e, Consumer<Session> then) {
        SessionAttachment a = c.attachment();
        String sid = e.sessionId() != null ? e.sessionId() : a == null ? null : a.sessionId();
        if (sid == null) {
            invalid(c, e, ErrorCode.SESSION_REQUIRED, "session_id", "create a session (user.create_session) or resume one (user.reconnect) first");
            return;
        }
        sessions.lookup(sid, c.principal()).whenCompleteAsync((found, err) -> {
            if (err != null) {
                failed(c, e, "look the session up", err);
                return;
            }
            switch (found) {
                case Sessions.NotFound x -> invalid(c, e, ErrorCode.SESSION_NOT_FOUND, "session_id", "no such session");
                case Sessions.Expired x -> invalid(c, e, ErrorCode.SESSION_EXPIRED, "session_id", "the session is past its time to live");
                case Sessions.Forbidden x -> forbidden(c, e, sid);
                case Sessions.Found f -> then.accept(f.session());
            }
        }, c.ws().executor());
    }

    private void forbidden(EnvelopeConnection c, Envelope e, String sid) {
        c.sendControl(Messages.validation(sid, e.stepId(), ErrorCode.SESSION_FORBIDDEN, "session_id",
                "this session can not be used by this principal"));
    }

    private static void invalid(EnvelopeConnection c, Envelope e, ErrorCode code, String field, String detail) {
        c.sendControl(Messages.validation(e.sessionId(), e.stepId(), code, field, detail));
    }

    private static void failed(EnvelopeConnection c, Envelope e, String what, Throwable err) {
        c.failed(e.sessionId(), what, err);
    }
}
