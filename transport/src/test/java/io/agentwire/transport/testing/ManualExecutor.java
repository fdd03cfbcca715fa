package io.agentwire.transport.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A deterministic {@link ScheduledExecutorService} for unit tests: nothing runs until the test says so, and time
 * only passes when the test {@linkplain #advance advances} it. Tasks run on the calling (test) thread, in due-time
 * order (submission order for equal times), so a test plays the part of an event loop. {@link #clock()} and
 * {@link #nanoTime()} read the same manual time, for code that takes a {@link Clock} or a nano-time source.
 *
 * <p>Tasks may be submitted from any thread (a store future completing elsewhere); {@link #runUntil} waits, bounded,
 * for them to arrive — waiting for work, never for time.
 */
public final class ManualExecutor extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>(); // guarded by this
    private long nowNanos;    // guarded by this
    private long sequence;    // guarded by this
    private boolean shutdown; // guarded by this
    private final long epochMillis;

    public ManualExecutor() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Starts the manual time at {@code start} (what {@link #clock()} reads before any advance). */
    public ManualExecutor(Instant start) {
        this.epochMillis = start.toEpochMilli();
    }

    /** The manual time as a monotonic nano count (starts at 0). */
    public synchronized long nanoTime() {
        return nowNanos;
    }

    /** A UTC clock that reads the manual time. */
    public Clock clock() {
        return new SuppliedClock(ZoneOffset.UTC, () -> Instant.ofEpochMilli(epochMillis).plusNanos(nanoTime()));
    }

    /** Runs every task that is due now, including those they submit for now; returns how many ran. */
    public int runPending() {
        int ran = 0;
        for (Task<?> t; (t = nextDue()) != null; ran++) t.run();
        return ran;
    }

    /** Moves the time forward by {@code d}, running each task as its time comes (periodic ones repeatedly). */
    public int advance(Duration d) {
        long target;
        synchronized (this) {
            target = nowNanos + d.toNanos();
        }
        int ran = 0;
        while (true) {
            Task<?> t;
            synchronized (this) {
                Task<?> head = tasks.peek();
                if (head == null || head.due > target) {
                    nowNanos = target;
                    break;
                }
                nowNanos = Math.max(nowNanos, head.due);
                t = tasks.poll();
            }
            t.run();
            ran++;
        }
        return ran + runPending();
    }

    /**
     * Runs due tasks until {@code done} holds, waiting (at most {@code timeout} of real time) for tasks that other
     * threads submit; fails if it never holds. The manual time does not move.
     */
    public void runUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            runPending();
            if (done.getAsBoolean()) return;
            synchronized (this) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("not done within " + timeout + " (manual time " + nowNanos + " ns)");
                if (!hasDue()) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                }
            }
        }
    }

    /** Tasks waiting, due or not (cancelled ones excluded). */
    public synchronized int queued() {
        return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
    }

    private synchronized Task<?> nextDue() {
        return hasDue() ? tasks.poll() : null;
    }

    private boolean hasDue() {
        Task<?> head = tasks.peek();
        return head != null && head.due <= nowNanos;
    }

    private synchronized <T> Task<T> add(Callable<T> body, long delayNanos, long periodNanos) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException("shut down");
        Task<T> t = new Task<>(body, nowNanos + Math.max(0, delayNanos), periodNanos, sequence++);
        tasks.add(t);
        notifyAll();
        return t;
    }

    private synchronized void reschedule(Task<?> t) {
        if (shutdown) return;
        t.due = nowNanos + t.period;
        t.seq = sequence++;
        tasks.add(t);
    }

    @Override public void execute(Runnable command) { add(() -> { command.run(); return null; }, 0, 0); }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(() -> { command.run(); return null; }, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) throw new IllegalArgumentException("period must be positive");
        return add(() -> { command.run(); return null; }, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override public synchronized void shutdown() { shutdown = true; }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> out = new ArrayList<>(tasks);
        tasks.clear();
        return out;
    }

    @Override public synchronized boolean isShutdown() { return shutdown; }
    @Override public synchronized boolean isTerminated() { return shutdown && tasks.isEmpty(); }
    @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return isTerminated(); }

    private final class Task<T> implements ScheduledFuture<T>, Runnable {
        private final Callable<T> body;
        private final long period;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        long due;
        long seq;

        Task(Callable<T> body, long due, long period, long seq) {
            this.body = body;
            this.due = due;
            this.period = period;
            this.seq = seq;
        }

        @Override
        public void run() {
            if (result.isDone()) return; // cancelled
            try {
                T value = body.call();
                if (period > 0) reschedule(this); else result.complete(value);
            } catch (Throwable e) {
                result.completeExceptionally(e); // as a real executor: a failed periodic task stops
            }
        }

        @Override public long getDelay(TimeUnit unit) { return unit.convert(due - nanoTime(), TimeUnit.NANOSECONDS); }

        @Override
        public int compareTo(Delayed o) {
            Task<?> other = (Task<?>) o;
            int c = Long.compare(due, other.due);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }

        @Override public boolean cancel(boolean mayInterrupt) { return result.cancel(mayInterrupt); }
        @Override public boolean isCancelled() { return result.isCancelled(); }
        @Override public boolean isDone() { return result.isDone(); }
        @Override public T get() throws InterruptedException, ExecutionException { return result.get(); }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }
    }
}
