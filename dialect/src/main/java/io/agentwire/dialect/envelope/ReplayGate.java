package io.agentwire.dialect.envelope;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Bounds the resumes (replays from the window or the durable log, snapshots) one principal has in progress, so
 * that one user replaying long sessions over and over, within its rate limit, can not take the store and the CPU
 * from everyone else (issue 17). A resume beyond {@code perPrincipal} waits, in arrival order, until one of that
 * principal's ends; a waiting resume whose connection moved on (a newer reconnect, a close) is dropped when its
 * turn comes, so the queue holds at most one live entry per connection. Other principals never wait here.
 */
final class ReplayGate {
    private final int perPrincipal;
    private final Map<String, Lane> lanes = new HashMap<>(); // guarded by this

    private static final class Lane {
        int running;
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    }

    private record Waiter(BooleanSupplier abandoned, CompletableFuture<Runnable> turn) { }

    ReplayGate(int perPrincipal) {
        if (perPrincipal < 1) throw new IllegalArgumentException("replays per principal must be >= 1");
        this.perPrincipal = perPrincipal;
    }

    /**
     * Completes with the release to run once the resume is done (any thread, idempotent) when it is
     * {@code principal}'s turn, or with null if {@code abandoned} said so before its turn came.
     */
    CompletableFuture<Runnable> enter(String principal, BooleanSupplier abandoned) {
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(principal, k -> new Lane());
            lane.waiting.removeIf(w -> {
                boolean gone = w.abandoned().getAsBoolean();
                if (gone) w.turn().complete(null);
                return gone;
            });
            if (lane.running < perPrincipal) {
                lane.running++;
                return CompletableFuture.completedFuture(release(principal));
            }
            Waiter w = new Waiter(abandoned, new CompletableFuture<>());
            lane.waiting.add(w);
            return w.turn();
        }
    }

    /** Resumes of {@code principal} in progress (for tests and metrics). */
    synchronized int running(String principal) {
        Lane lane = lanes.get(principal);
        return lane == null ? 0 : lane.running;
    }

    private Runnable release(String principal) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) leave(principal);
        };
    }

    private void leave(String principal) {
        Waiter next;
        synchronized (this) {
            Lane lane = lanes.get(principal);
            while ((next = lane.waiting.poll()) != null && next.abandoned().getAsBoolean()) next.turn().complete(null);
            if (next == null && --lane.running == 0 && lane.waiting.isEmpty()) lanes.remove(principal);
        }
        if (next != null) next.turn().complete(release(principal)); // the place passes on: running is unchanged
    }
}
