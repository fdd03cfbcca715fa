package io.agentwire.transport.engineio;

import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When the sessions of one event loop send their next ping: sessions whose ping falls due in the same tick (a
 * 128th of the ping interval, at most 50 ms) share one bucket and one timer of the loop, so an idle session holds a
 * slot in an array instead of a timer task of its own. The bucket's timer fires when its first session's ping is
 * due, so the others of its tick get theirs up to one tick early (never late); each session keeps its exact pong
 * deadline (pingInterval + pingTimeout after its last pong). Event loop only.
 */
final class PingWheel {
    private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The sessions due in one tick; a slot is cleared when its session re-arms or closes first. */
    static final class Bucket {
        private final long tick;
        private EngineIoSession[] sessions = new EngineIoSession[8];
        private int size;

        private Bucket(long tick) {
            this.tick = tick;
        }
    }

    private final ScheduledExecutorService loop;
    private final long tickNanos;
    private Bucket newest;

    PingWheel(ScheduledExecutorService loop, long pingIntervalNanos) {
        this.loop = loop;
        this.tickNanos = Math.clamp(pingIntervalNanos / 128, MIN_TICK_NANOS, MAX_TICK_NANOS);
    }

    /** Arms {@code s}'s ping for {@code dueNanos} (clock {@code now}), replacing the one armed before. */
    void arm(EngineIoSession s, long dueNanos, long now) {
        disarm(s);
        long tick = Math.floorDiv(dueNanos, tickNanos);
        Bucket b = newest;
        if (b == null || b.tick != tick) {
            Bucket created = new Bucket(tick);
            try {
                loop.schedule(() -> fire(created), Math.max(0, dueNanos - now), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                return; // the loop is shutting down: its sessions go with it
            }
            b = created;
            newest = b;
        }
        if (b.size == b.sessions.length) b.sessions = Arrays.copyOf(b.sessions, b.size * 2);
        s.pingBucket = b;
        s.pingSlot = b.size;
        b.sessions[b.size++] = s;
    }

    /** The ping of {@code s} will not be sent (it closed, or re-arms). */
    static void disarm(EngineIoSession s) {
        Bucket b = s.pingBucket;
        if (b != null) {
            b.sessions[s.pingSlot] = null;
            s.pingBucket = null;
        }
    }

    private void fire(Bucket b) {
        if (newest == b) newest = null;
        for (int i = 0; i < b.size; i++) {
            EngineIoSession s = b.sessions[i];
            if (s != null && s.pingBucket == b) {
                s.pingBucket = null;
                s.pingDue();
            }
        }
    }
}
