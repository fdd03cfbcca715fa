package io.agentwire.transport.socketio;

import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery half of a socket's CONNECT (connection state recovery: socket.io's {@code pid} and {@code offset}):
 * whether a saved state may be taken over ({@link #restorable}), then registering the socket with the saved rooms
 * it may still enter (the hand-over point), replaying up to it what was aimed at those rooms through a
 * {@link Recovery}, and handing the {@link Socket} either its restored state with what it missed, or a fresh start
 * when the core can no longer replay from the client's position. Event loop only; the replay completes on any
 * thread and hops back.
 */
final class RecoveryHandshake {
    private static final Logger log = LoggerFactory.getLogger(RecoveryHandshake.class);

    /** A saved state the CONNECT takes over, and the position its replay starts after. */
    record Restore(RecoveryStore.Saved saved, StreamPosition since) { }

    private final Socket socket;
    private final Namespace namespace;
    private final Restore restore;
    private Recovery recovery;

    RecoveryHandshake(Socket socket, Namespace namespace, Restore restore) {
        this.socket = socket;
        this.namespace = namespace;
        this.restore = restore;
    }

    /**
     * What a CONNECT of {@code principal} presenting {@code saved} (taken by its pid, may be null) restores, or null
     * for a fresh socket. Someone else's record is put back for the principal it belongs to.
     */
    static Restore restorable(Namespace namespace, String principal, RecoveryStore.Saved saved, String clientOffset) {
        if (saved == null) return null;
        if (!saved.owner().equals(principal)) {
            log.info("sio: {} presented the recovery token of another principal's socket {}; not recovered", principal,
                    saved.sid());
            namespace.recovery().save(saved);
            return null;
        }
        StreamPosition since = clientOffset != null ? RecoveryStore.parse(clientOffset) : saved.start();
        return since == null ? null : new Restore(saved, since);
    }

    RecoveryStore.Saved saved() { return restore.saved(); }

    /**
     * Registers the socket with the saved rooms its (restored) data may still enter, then replays the stream up to
     * the hand-over; publications after it are {@linkplain #hold held} meanwhile.
     */
    void start(LoopInbox inbox) {
        Set<String> kept = new HashSet<>();
        Namespace.RoomCheck check = namespace.roomCheck();
        for (String room : restore.saved().rooms()) {
            if (room.equals(socket.id()) || check.mayRestore(socket.data(), room)) kept.add(room);
        }
        RoomIndex.Member m = socket.register(inbox, kept);
        if (m == null) {
            socket.endRecovery(this);
            namespace.recovery().save(restore.saved()); // the client may try again
            socket.connectFailed();
            return;
        }
        Recovery r = new Recovery(namespace, restore.saved(), kept, m);
        recovery = r;
        r.replay(namespace.server().node(), restore.since())
                .whenComplete((missed, error) -> socket.execute(() -> replayed(r, missed, error)));
    }

    /** Event loop: a publication after the hand-over, kept until the replay is sent. False: too many wait. */
    boolean hold(Publication p) {
        return recovery == null || recovery.hold(p);
    }

    /** Event loop: the socket went away before the replay was sent; the record is kept for another try. */
    void interrupted() {
        if (recovery != null) namespace.recovery().save(restore.saved());
        recovery = null;
    }

    private void replayed(Recovery r, List<Publication> missed, Throwable error) {
        if (recovery != r || !socket.endRecovery(this)) return;
        recovery = null;
        StreamPosition since = restore.since();
        if (error != null) {
            log.warn("sio {}: replaying {} failed", socket.id(), namespace.stream(), error);
            namespace.recovery().save(r.saved); // the client may try again
            socket.connectFailed();
            return;
        }
        List<Publication> held = r.release();
        if (missed == null) { // beyond the window, or another epoch: a fresh socket, nothing of the old one kept
            socket.restartFresh(r.member);
            return;
        }
        log.debug("sio {}: recovered after {}: {} replayed, {} held at the hand-over ({})", socket.id(), since.offset(),
                missed.size(), held.size(), r.member.start.offset());
        socket.restored(since, missed, held);
    }
}
