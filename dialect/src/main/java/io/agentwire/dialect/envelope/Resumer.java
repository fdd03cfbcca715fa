package io.agentwire.dialect.envelope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import io.agentwire.core.Resume;
import io.agentwire.core.Session;
import io.agentwire.core.StreamPosition;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches connections to session streams: a new session from its first event, a resumed one by envelope.md's
 * three flows — quick (replay from the window, then {@code system.notice RESUMED}), extended (state snapshot,
 * the events after it, then RESUMED with {@code mode: "snapshot"}); the expired/unknown flow is answered before
 * the attach, by {@link Commands}.
 */
final class Resumer {
    private static final Logger log = LoggerFactory.getLogger(Resumer.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Rows per read of the durable log: small, so a long snapshot yields the store and the CPU between pages. */
    private static final int PAGE = 256;

    private final Node node;
    private final HistoryConfig window;
    private final java.time.Duration sessionTtl;
    private final int maxHeld;
    private final ReplayGate gate;
    private final Attachments attachments;

    Resumer(Node node, Attachments attachments, java.time.Duration sessionTtl, int maxHeld, int replaysPerPrincipal) {
        this.node = node;
        this.attachments = attachments;
        this.gate = new ReplayGate(replaysPerPrincipal);
        this.window = node.config().history();
        this.sessionTtl = sessionTtl;
        this.maxHeld = maxHeld;
    }

    /** Attaches {@code c} to a session it just created and publishes {@code agent.session_created} (seq 1). */
    void attachNew(EnvelopeConnection c, Session s) {
        SessionAttachment a = attach(c, s);
        if (a == null) return; // the client left; the session stays, as after any disconnect
        String stream = s.stream(); // one instance for the subscription, the hub and the broker (kept per session)
        node.subscribe(stream, a, new StreamPosition(0, "")).thenCompose(res -> {
            a.subscription(res.subscription());
            a.release(null, Long.MAX_VALUE, null);
            ObjectNode content = JSON.objectNode().put("session_id", s.id());
            ObjectNode meta = JSON.objectNode().put("ttl_ms", sessionTtl.toMillis()).put("resume_window_ms", window.ttl().toMillis())
                    .put("resume_window_events", window.size());
            return node.publish(stream, EnvelopeCodec.envelope("agent.session_created", s.id(), null, content, meta));
        }).whenComplete((p, err) -> {
            if (err != null) c.failed(s.id(), "create the session", err);
        });
    }

    /**
     * Resumes {@code s} on {@code c} after {@code lastSeq}, when it is the principal's turn (at most
     * {@code replaysPerPrincipal} resumes of one principal read history at once: see {@link ReplayGate}).
     */
    void resume(EnvelopeConnection c, Session s, long lastSeq) {
        SessionAttachment a = attach(c, s);
        if (a == null) return;
        gate.enter(c.principal().id(), a::detached).thenAccept(done -> {
            if (done == null) return; // superseded while it waited
            if (a.detached()) {
                done.run();
                return;
            }
            resumeNow(c, s, lastSeq, a).whenComplete((x, err) -> done.run());
        });
    }

    private CompletableFuture<Void> resumeNow(EnvelopeConnection c, Session s, long lastSeq, SessionAttachment a) {
        String stream = s.stream();
        return node.top(stream)
                .thenCompose(top -> node.subscribe(stream, a, new StreamPosition(lastSeq, top.epoch())))
                .thenCompose(res -> {
                    a.subscription(res.subscription());
                    if (res.recovered()) {
                        long to = res.top().offset();
                        ObjectNode meta = JSON.objectNode().put("mode", "replay").put("replayed", res.replayed())
                                .put("from_seq", lastSeq + 1).put("to_seq", to);
                        a.release(null, to, Messages.notice(s.id(), "RESUMED", "resumed: " + res.replayed() + " missed events replayed", meta));
                        c.meters().resumed();
                        log.info("session {} resumed on {} after seq {}: {} replayed from {}", s.id(), c.id(), lastSeq, res.replayed(), res.source());
                        return CompletableFuture.completedFuture(null);
                    }
                    long snapshotSeq = res.top().offset();
                    return snapshot(s, snapshotSeq).thenAccept(state -> {
                        ObjectNode meta = JSON.objectNode().put("mode", "snapshot").put("snapshot_seq", snapshotSeq)
                                .put("from_seq", snapshotSeq + 1).put("reason", res.gap().name());
                        a.release(Messages.stateExported(s.id(), state), Long.MAX_VALUE,
                                Messages.notice(s.id(), "RESUMED", "resumed from a state snapshot: the missed events are older than the replay window", meta));
                        c.meters().notRecovered();
                        log.info("session {} resumed on {} after seq {} from a snapshot at seq {} ({})", s.id(), c.id(), lastSeq, snapshotSeq, res.gap());
                    });
                }).whenComplete((x, err) -> {
                    // SLOW_CONSUMER: the attachment was already cut off (4008) while the replay was read
                    if (err != null && AgentWireException.codeOf(err) != ErrorCode.SLOW_CONSUMER) {
                        c.failed(s.id(), "resume the session", err);
                        c.close(io.agentwire.core.DisconnectReason.INTERNAL_ERROR);
                    }
                });
    }

    /** Answers {@code user.export_state}: the session's state as of its current top. */
    void exportState(EnvelopeConnection c, Session s) {
        gate.enter(c.principal().id(), () -> false).thenAccept(done ->
                node.top(s.stream()).thenCompose(top -> snapshot(s, top.offset())).whenComplete((state, err) -> {
                    done.run();
                    if (err != null) c.failed(s.id(), "export the state", err);
                    else c.sendControl(Messages.stateExported(s.id(), state));
                }));
    }

    /** The new attachment, or null if the connection has closed meanwhile. */
    private SessionAttachment attach(EnvelopeConnection c, Session s) {
        SessionAttachment a = new SessionAttachment(s.id(), c, maxHeld);
        if (!c.attach(a)) return null;
        attachments.attached(c, s.id());
        return a;
    }

    /** Folds the session's durable events up to {@code throughSeq} into a {@link StateSnapshot}. */
    CompletableFuture<ObjectNode> snapshot(Session s, long throughSeq) {
        return readAll(s.stream(), 0, throughSeq, new ArrayList<>()).thenApply(events -> StateSnapshot.of(s, events, throughSeq));
    }

    private CompletableFuture<List<Publication>> readAll(String stream, long after, long through, List<Publication> acc) {
        if (after >= through) return CompletableFuture.completedFuture(acc);
        return node.durableHistory(stream, after, PAGE).thenCompose(page -> {
            for (Publication p : page) if (p.offset() <= through) acc.add(p);
            if (page.isEmpty() || page.get(page.size() - 1).offset() >= through) return CompletableFuture.completedFuture(acc);
            return readAll(stream, page.get(page.size() - 1).offset(), through, acc);
        });
    }
}
