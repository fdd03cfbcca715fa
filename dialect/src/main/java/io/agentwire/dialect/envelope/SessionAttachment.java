package io.agentwire.dialect.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import io.agentwire.core.Subscriber;
import io.agentwire.core.Subscription;
import java.util.ArrayDeque;

/**
 * One connection's view of one session's stream. It starts held: the core delivers the replay and any live
 * events into it, and {@link #release} sends them with the dialect's own messages in the order envelope.md
 * prescribes (replayed events, then {@code system.notice RESUMED}, then live events; or the snapshot first).
 * After the release it forwards every event at once. Thread-safe: core threads deliver, the event loop releases.
 */
final class SessionAttachment implements Subscriber {
    private final String sessionId;
    private final EnvelopeConnection connection;
    private final int maxHeld;
    private final Object lock = new Object();
    private ArrayDeque<Publication> held = new ArrayDeque<>();
    private boolean detached;
    private long noticeAfterSeq;
    private ObjectNode notice;
    /** Queued messages above which a replay waits for the client to read. */
    static final int REPLAY_BUDGET = 256;
    private volatile Subscription subscription;
    private volatile long lastSentSeq;

    SessionAttachment(String sessionId, EnvelopeConnection connection, int maxHeld) {
        this.sessionId = sessionId;
        this.connection = connection;
        this.maxHeld = maxHeld;
    }

    String sessionId() { return sessionId; }

    /** Whether the connection moved on (another session, a newer resume, closed). */
    boolean detached() {
        synchronized (lock) {
            return detached;
        }
    }

    long lastSentSeq() { return lastSentSeq; }

    /** Keeps the core subscription; if the connection went away while it was being set up, ends it at once. */
    void subscription(Subscription s) {
        boolean gone;
        synchronized (lock) {
            this.subscription = s;
            gone = detached;
        }
        if (gone) s.close();
    }

    @Override
    public void onPublication(Publication p) {
        synchronized (lock) {
            if (detached) return;
            if (held != null) {
                if (held.size() >= maxHeld) {
                    held = new ArrayDeque<>();
                    connection.close(DisconnectReason.SLOW_CONSUMER);
                    return;
                }
                held.add(p);
                return;
            }
            send(p, true);
        }
    }

    @Override
    public void onTerminated(ErrorCode reason) {
        // The core could not keep this subscription exact (it fell too far behind while recovering, or history
        // was lost): close the connection so the client reconnects and resumes from what it has.
        connection.close(reason == ErrorCode.SLOW_CONSUMER ? DisconnectReason.SLOW_CONSUMER : DisconnectReason.INTERNAL_ERROR);
    }

    /**
     * Sends {@code first} (if any), the held events up to {@code noticeAfterSeq}, {@code notice} (if any), the
     * remaining held events, and then switches to direct delivery. The held events are paced by the connection's
     * send queue (at most {@link #REPLAY_BUDGET} queued at a time), so a long replay never overflows it: back-
     * pressure applies to a replay as to live traffic. Events that arrive meanwhile stay held, in order.
     */
    void release(ObjectNode first, long noticeAfterSeq, ObjectNode notice) {
        synchronized (lock) {
            if (held == null || detached) return;
            if (first != null) connection.sendControl(first);
            this.noticeAfterSeq = noticeAfterSeq;
            this.notice = notice;
        }
        pump();
    }

    /** Sends held events while the send queue has room; reschedules itself until all are sent. */
    private void pump() {
        synchronized (lock) {
            if (held == null || detached) return;
            while (!held.isEmpty()) {
                if (connection.queuedMessages() >= REPLAY_BUDGET) {
                    connection.schedule(this::pump, 1);
                    return;
                }
                if (notice != null && held.peekFirst().offset() > noticeAfterSeq) sendNotice();
                else send(held.pollFirst(), false);
            }
            if (notice != null) sendNotice();
            held = null;
        }
    }

    private void sendNotice() {
        connection.sendControl(notice);
        notice = null;
    }

    private void send(Publication p, boolean live) {
        lastSentSeq = p.offset();
        connection.sendEvent(p, live);
    }

    void detach() {
        Subscription s;
        synchronized (lock) {
            detached = true;
            held = null;
            s = subscription;
        }
        if (s != null) s.close();
    }
}
