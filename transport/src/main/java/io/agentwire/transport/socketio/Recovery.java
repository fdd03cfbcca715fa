package io.agentwire.transport.socketio;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import io.agentwire.core.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One socket recovering its state (connection state recovery). The socket is registered in the namespace's
 * {@link RoomIndex} with its saved rooms first, at the hand-over position H: the shared dispatch hands it everything
 * after H, which is {@linkplain #hold held} here. Then a private {@code Node.subscribe(stream, since)} replays the
 * stream from the client's offset; this keeps what lies up to H and is aimed at the saved rooms, and is closed as
 * soon as the core answered. The core delivers the history before it answers, and that history reaches at least H
 * (registered first), so the replay and the held publications join with no gap and no duplicate.
 */
final class Recovery implements Subscriber {
    final RecoveryStore.Saved saved;
    final RoomIndex.Member member;
    private final Namespace namespace;
    private final Set<String> rooms;
    private final List<Publication> replayed = new ArrayList<>(); // guarded by this
    private List<Publication> held = new ArrayList<>();           // event loop only

    /** @param rooms the saved rooms the socket may still enter: only what was aimed at them is replayed */
    Recovery(Namespace namespace, RecoveryStore.Saved saved, Set<String> rooms, RoomIndex.Member member) {
        this.namespace = namespace;
        this.saved = saved;
        this.member = member;
        this.rooms = Set.copyOf(rooms);
    }

    /**
     * Replays the stream after {@code since} up to the hand-over. Completes, on any thread, with the publications
     * the socket missed, in offset order, or with null when the core can not recover from {@code since} (beyond
     * the window, another epoch).
     */
    CompletableFuture<List<Publication>> replay(Node node, StreamPosition since) {
        return node.subscribe(namespace.stream(), this, since).handle((resume, error) -> {
            if (error != null) {
                // the core ended the subscription while it buffered (too much arrived meanwhile): not recovered
                if (ErrorCode.SLOW_CONSUMER.equals(AgentWireException.codeOf(error))) return null;
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            resume.subscription().close();
            return resume.recovered() ? replayed() : null;
        });
    }

    @Override
    public synchronized void onPublication(Publication p) {
        StreamPosition handOver = member.start;
        if (p.offset() > handOver.offset() || !p.epoch().equals(handOver.epoch())) return;
        Namespace.Target t = p.encoded(namespace.target);
        if (!t.isVolatile() && t.matches(rooms)) replayed.add(p); // volatile broadcasts are never stored
    }

    /** Event loop: a publication after the hand-over, kept until the replay is sent. False: too many wait. */
    boolean hold(Publication p) {
        if (held.size() >= namespace.server().node().config().recoveryBufferLimit()) return false;
        held.add(p);
        return true;
    }

    /** Event loop: the held publications, in dispatch order; nothing is held afterwards. */
    List<Publication> release() {
        List<Publication> out = held;
        held = List.of();
        return out;
    }

    private synchronized List<Publication> replayed() {
        return List.copyOf(replayed);
    }
}
