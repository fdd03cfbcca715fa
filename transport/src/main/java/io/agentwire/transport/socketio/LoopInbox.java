package io.agentwire.transport.socketio;

import io.agentwire.core.Publication;
import io.agentwire.transport.engineio.Outgoing;
import io.netty.util.internal.PlatformDependent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publications on their way to the sockets of one event loop, in dispatch order: one MPSC queue per loop (and
 * server), drained on the loop. A broadcast to 10 000 sockets costs one task per event loop, not one per socket, and
 * since dispatch follows the stream's offset order and every delivery goes through this one FIFO, two publications
 * never overtake each other, whichever threads published them. A socket sending a packet of its own (an
 * acknowledgement, an emit with ack, a DISCONNECT) drains the queue first, so its packet follows the publications
 * dispatched before it.
 */
final class LoopInbox {
    private static final Logger log = LoggerFactory.getLogger(LoopInbox.class);

    /** A publication, its frames and target (encoded once by the feed, not looked up per recipient), its recipients. */
    private record Entry(Publication publication, Outgoing wire, boolean isVolatile, List<RoomIndex.Member> to) { }

    private final ScheduledExecutorService loop;
    private final Queue<Entry> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::scheduledDrain;
    private boolean draining; // event loop only

    LoopInbox(ScheduledExecutorService loop) {
        this.loop = loop;
    }

    /**
     * Any thread, in the stream's order: queues {@code p} (as {@code wire}, volatile or not) for {@code to} (all
     * members of this loop).
     */
    void offer(Publication p, Outgoing wire, boolean isVolatile, List<RoomIndex.Member> to) {
        queue.offer(new Entry(p, wire, isVolatile, to));
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                log.debug("event loop gone: {} deliveries dropped", queue.size());
                queue.clear();
            }
        }
    }

    /** Event loop: delivers everything queued. Does nothing when called from inside a delivery of this inbox. */
    void drain() {
        if (draining) return;
        draining = true;
        try {
            Entry e;
            while ((e = queue.poll()) != null) {
                List<RoomIndex.Member> to = e.to();
                for (int i = 0, n = to.size(); i < n; i++) { // an ArrayList or List.of: no iterator per entry
                    RoomIndex.Member m = to.get(i);
                    try {
                        m.socket.deliver(m, e.publication(), e.wire(), e.isVolatile());
                    } catch (RuntimeException ex) {
                        log.error("sio {}: delivery of {} failed", m.socket.id(), e.publication(), ex);
                    }
                }
            }
        } finally {
            draining = false;
        }
    }

    private void scheduledDrain() {
        scheduled.set(false); // before polling: an offer that lands after this schedules the next drain
        drain();
    }
}
