package io.agentwire.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Structured concurrency for one run, on virtual threads: a group of child threads that all end before the
 * caller goes on. The first failure cancels the siblings; a cancelled run, or an interrupted caller, cancels them
 * all; either way the caller waits for every child to end. (JDK 25's {@code StructuredTaskScope} is still a
 * preview API; this is the small equivalent AgentWire needs, without {@code --enable-preview}.)
 *
 * <p>Each child has its own {@link Cancellation}, registered with the run, so its events are published shielded
 * from interrupts like the run thread's, and cancelling one child never marks the run cancelled.
 */
final class Forks<T> {
    private final RunContext run;
    private final List<Child> children = new ArrayList<>();
    private final CountDownLatch ended;
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    private final class Child implements Runnable {
        final Callable<T> task;
        final Cancellation cancellation = new Cancellation();
        volatile T result;
        volatile Thread thread;

        Child(Callable<T> task) {
            this.task = task;
        }

        @Override
        public void run() {
            run.adopt(Thread.currentThread(), cancellation);
            cancellation.attach();
            try {
                result = task.call();
            } catch (Throwable t) {
                // a failure after this child was cancelled is the cancellation's doing, not the child's
                if (!cancellation.requested() && firstFailure.compareAndSet(null, t)) cancelAll();
            } finally {
                cancellation.close();
                run.release(Thread.currentThread());
                ended.countDown();
            }
        }
    }

    private Forks(RunContext run, List<? extends Callable<T>> tasks) {
        this.run = run;
        tasks.forEach(t -> children.add(new Child(t)));
        this.ended = new CountDownLatch(children.size());
    }

    /** Runs every task at once; returns their results in order, or throws the first failure. */
    static <T> List<T> all(RunContext run, String name, List<? extends Callable<T>> tasks) throws Exception {
        Forks<T> forks = new Forks<>(run, tasks);
        forks.start(name);
        forks.join(null);
        return forks.children.stream().map(c -> c.result).toList();
    }

    /**
     * Runs one task on a child thread and waits up to {@code timeout}; past it, the child is cancelled (and
     * awaited) and {@link Expired} is thrown.
     */
    static <T> T within(RunContext run, String name, Duration timeout, Callable<T> task) throws Exception {
        Forks<T> forks = new Forks<>(run, List.of(task));
        forks.start(name);
        forks.join(timeout);
        return forks.children.getFirst().result;
    }

    private void start(String name) {
        int i = 0;
        for (Child c : children) {
            c.thread = Thread.ofVirtual().name(name + "-" + (++i)).unstarted(c);
        }
        for (Child c : children) c.thread.start();
    }

    private void join(Duration timeout) throws Exception {
        AgentContext.Registration onCancel = run.onCancel(this::cancelAll);
        try {
            boolean done;
            try {
                done = timeout == null ? await() : ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                cancelAll();
                awaitUninterruptibly();
                run.interruptedWhileWaiting();
                throw new RunCancelledException(run.runId());
            }
            if (!done) {
                cancelAll();
                awaitUninterruptibly();
                if (firstFailure.get() == null && !run.cancelled()) throw new Expired();
            }
        } finally {
            onCancel.close();
        }
        run.checkCancelled();
        Throwable failure = firstFailure.get();
        if (failure instanceof Exception e) throw e;
        if (failure instanceof Error e) throw e;
    }

    /** The task of {@link #within} did not end in time (it has been cancelled and has ended). */
    static final class Expired extends Exception {
        Expired() {
            super(null, null, false, false);
        }
    }

    private boolean await() throws InterruptedException {
        ended.await();
        return true;
    }

    private void awaitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void cancelAll() {
        children.forEach(c -> c.cancellation.request());
    }
}
