package io.agentwire.dialect.tracking;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import io.agentwire.core.WireMeters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking dialect's one thread ({@code aw-tracking}) and the ways in: the {@link Node#tap} of every
 * {@code session:} stream, backends' reports, and dashboards' requests all become tasks run one at a time, in the
 * order they arrive, on the {@link Board} they alone touch. Nothing waits: the tap and the event loops only queue
 * a task. Session events and reports queue at most {@value #MAX_PENDING} tasks; beyond that they are dropped
 * (logged, counted; a report's future fails with {@code RATE_LIMITED}), so a stalled tracker can not grow without
 * bound. Dashboards' tasks (connect, close, requests) are never dropped; they are bounded by the connections and
 * their rate limit.
 *
 * <p>Backends' reports and the envelope sessions it starts tracking are kept in the {@link TrackingJournal}; at
 * construction the tracker applies what the journal gives back (in time order, before any live event, which the
 * tap queues meanwhile; an event seen both ways is applied once), so a restart shows the recent sessions again.
 */
final class Tracker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Tracker.class);
    static final int MAX_PENDING = 100_000;

    private final ScheduledThreadPoolExecutor loop;
    private final Board board;
    private final AutoCloseable tap;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile int sessions;
    private volatile int dashboards;
    private final TrackingJournal journal;
    private final WireMeters meters;
    /** While applying the journal: the time of the item applied (the board's clock), else -1. Loop thread only. */
    private long replayAt = -1;

    /** Counts on {@code meters} the messages each session event became (deliveries, with their latency). */
    Tracker(Node node, TrackingConfig config, LongSupplier clock, WireMeters meters) {
        this.meters = meters;
        loop = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("aw-tracking").factory());
        loop.setRemoveOnCancelPolicy(true);
        journal = new TrackingJournal(node, config, clock);
        board = new Board(new SessionBook(config), new RunMapper(config.agentName()),
                () -> replayAt >= 0 ? replayAt : clock.getAsLong(), () -> run(Board::flushActiveSessions),
                sid -> {
                    if (replayAt < 0) journal.tracked(sid);
                });
        long sweep = Math.clamp(config.sessionRetention().toMillis() / 4, 10, 30_000);
        loop.scheduleWithFixedDelay(() -> guarded(board::sweep), sweep, sweep, TimeUnit.MILLISECONDS);
        if (!journal.durable()) {
            tap = node.tap("session:", this::onPublication);
            return;
        }
        // the journal's items are applied first; live events queue behind them from the moment the tap is on
        CompletableFuture<List<TrackingJournal.Item>> kept = new CompletableFuture<>();
        CompletableFuture<Void> applied = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                replay(kept.join());
            } finally {
                applied.complete(null);
            }
        });
        tap = node.tap("session:", this::onPublication);
        kept.complete(journal.read());
        applied.join();
    }

    private void replay(List<TrackingJournal.Item> items) {
        try {
            for (TrackingJournal.Item item : items) {
                replayAt = item.timeMillis();
                guarded(() -> item.apply().accept(board));
            }
        } finally {
            replayAt = -1;
        }
        guarded(board::sweep);
    }

    /** Applies a backend's report on the board and keeps it in the journal ({@code kind}: status, collaboration, logs). */
    CompletableFuture<Integer> report(String kind, ObjectNode report, Function<Board, Integer> apply) {
        return call(b -> {
            int n = apply.apply(b);
            journal.report(kind, report);
            return n;
        });
    }

    /** The tap: called on the publishing thread (the store's writer), so it only queues. */
    private void onPublication(Publication p) {
        try {
            offer(() -> meters.fannedOut(p, board.onSessionEvent(p)));
        } catch (RuntimeException e) {
            log.error("tracking could not queue {}", p, e);
        }
    }

    /** Runs {@code f} on the board; fails with RATE_LIMITED when too much is queued. */
    <T> CompletableFuture<T> call(Function<Board, T> f) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = offer(() -> {
            try {
                result.complete(f.apply(board));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                throw e;
            }
        });
        if (!queued) {
            result.completeExceptionally(new AgentWireException(ErrorCode.RATE_LIMITED,
                    "the tracker is overloaded; retry later"));
        }
        return result;
    }

    /** Runs {@code task} on the board, never dropped (dashboards' lifecycle and requests). */
    void run(Consumer<Board> task) {
        try {
            loop.execute(() -> guarded(() -> task.accept(board)));
        } catch (RejectedExecutionException closed) {
            log.debug("tracker closed: task dropped");
        }
    }

    int sessions() {
        return sessions;
    }

    int dashboards() {
        return dashboards;
    }

    /** Session events and reports dropped because too much was queued. */
    long dropped() {
        return dropped.get();
    }

    private boolean offer(Runnable task) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 10_000 == 0) log.warn("tracking is behind: {} events dropped so far", n);
            return false;
        }
        try {
            loop.execute(() -> {
                pending.decrementAndGet();
                guarded(task);
            });
            return true;
        } catch (RejectedExecutionException closed) {
            pending.decrementAndGet();
            return false;
        }
    }

    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("tracking task failed", e);
        } finally {
            sessions = board.sessions();
            dashboards = board.dashboards();
        }
    }

    @Override
    public void close() {
        try {
            tap.close();
        } catch (Exception e) {
            log.warn("could not close the tracking tap", e);
        }
        loop.shutdown();
        try {
            if (!loop.awaitTermination(2, TimeUnit.SECONDS)) loop.shutdownNow();
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
