package io.agentwire.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One subscriber's view of one stream. It delivers each offset exactly once and in order: while it recovers
 * (history being read), live publications are buffered; {@link #goLive} delivers the history, then the buffered
 * publications that follow it, and switches to live delivery with no gap and no duplicate at the hand-over.
 *
 * <p>A live publication that skips offsets (possible when a cluster broker loses a message) switches the
 * subscription back to buffering and asks the node to fill the gap from history.
 */
public final class Subscription implements AutoCloseable {
    private enum State { BUFFERING, LIVE, CLOSED }

    private final String stream;
    private final Subscriber subscriber;
    private final Hub hub;
    private final int maxBuffered;
    private final Consumer<Subscription> gapHandler;
    private final Object lock = new Object();
    private State state = State.BUFFERING;
    private List<Publication> buffer = new ArrayList<>();
    private long lastOffset;
    private String epoch;
    private ErrorCode terminatedBy;

    Subscription(String stream, Subscriber subscriber, Hub hub, int maxBuffered, Consumer<Subscription> gapHandler) {
        this.stream = stream;
        this.subscriber = subscriber;
        this.hub = hub;
        this.maxBuffered = maxBuffered;
        this.gapHandler = gapHandler;
    }

    public String stream() { return stream; }

    /** The offset of the last publication delivered to the subscriber. */
    public long lastOffset() {
        synchronized (lock) { return lastOffset; }
    }

    /** The position the subscriber has reached (offset of the last delivery and its epoch), or null before any. */
    public StreamPosition position() {
        synchronized (lock) { return epoch == null ? null : new StreamPosition(lastOffset, epoch); }
    }

    public boolean isOpen() {
        synchronized (lock) { return state != State.CLOSED; }
    }

    /** Why the subscription was ended by the node (e.g. {@code SLOW_CONSUMER}), or null if open or closed by its owner. */
    public ErrorCode terminatedBy() {
        synchronized (lock) { return terminatedBy; }
    }

    /** Called by the hub for every live publication of the stream. */
    void offer(Publication p) {
        boolean gap = false;
        synchronized (lock) {
            switch (state) {
                case CLOSED -> { return; }
                case BUFFERING -> {
                    if (buffer.size() >= maxBuffered) {
                        terminateLocked(ErrorCode.SLOW_CONSUMER);
                        return;
                    }
                    buffer.add(p);
                    return;
                }
                case LIVE -> {
                    if (lastOffset > 0 && !epoch.equals(p.epoch())) {
                        // The stream's history was lost and restarted: positions before it mean nothing now.
                        terminateLocked(ErrorCode.BROKER_UNAVAILABLE);
                        return;
                    }
                    if (p.offset() <= lastOffset) return;               // already delivered
                    if (lastOffset > 0 && p.offset() != lastOffset + 1) { // a gap: recover it from history
                        state = State.BUFFERING;
                        buffer = new ArrayList<>();
                        buffer.add(p);
                        gap = true;
                    } else {
                        deliverLocked(p);
                    }
                }
            }
        }
        if (gap) gapHandler.accept(this);
    }

    /**
     * Delivers {@code history} (publications after the recovery position, in order), then the buffered live
     * publications that follow it, and switches to live delivery.
     *
     * @param from the position delivery continues from: history must start right after it
     * @return false if the history does not continue from {@code from} without a gap (the subscription then stays
     *     buffering and the caller decides), true once live or closed (the caller checks {@link #isOpen})
     */
    boolean goLive(StreamPosition from, List<Publication> history) {
        synchronized (lock) {
            if (state == State.CLOSED) return true;
            long last = from.offset();
            for (Publication p : history) {
                if (p.offset() <= last) continue;
                if (p.offset() != last + 1) return false;
                last = p.offset();
            }
            epoch = from.epoch();
            lastOffset = from.offset();
            for (Publication p : history) {
                if (p.offset() > lastOffset) deliverLocked(p);
            }
            List<Publication> buffered = buffer;
            buffer = null;
            state = State.LIVE;
            for (Publication p : buffered) {
                if (lastOffset > 0 && !p.epoch().equals(epoch)) {
                    terminateLocked(ErrorCode.BROKER_UNAVAILABLE);
                    return true;
                }
                if (p.offset() <= lastOffset) continue;
                if (p.offset() != lastOffset + 1) {
                    // Buffered publications skip offsets: recover again from what was delivered.
                    state = State.BUFFERING;
                    buffer = new ArrayList<>(buffered.subList(buffered.indexOf(p), buffered.size()));
                    return false;
                }
                deliverLocked(p);
            }
            return true;
        }
    }

    private void deliverLocked(Publication p) {
        lastOffset = p.offset();
        epoch = p.epoch();
        subscriber.onPublication(p);
    }

    /** Ends the subscription because it can not go on; the subscriber is told why. */
    void terminate(ErrorCode reason) {
        synchronized (lock) { terminateLocked(reason); }
    }

    private void terminateLocked(ErrorCode reason) {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        terminatedBy = reason;
        buffer = null;
        hub.remove(this);
        subscriber.onTerminated(reason);
    }

    /** Unsubscribes. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
            buffer = null;
        }
        hub.remove(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + stream + "@" + lastOffset() + "]";
    }
}
