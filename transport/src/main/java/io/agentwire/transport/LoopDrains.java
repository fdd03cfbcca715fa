package io.agentwire.transport;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectionWriter}s of one event loop with a drain due, drained by one task: a broadcast that writes to
 * 10 000 connections of a loop schedules one task, not 10 000, and each connection still gets one flush for
 * everything written to it before the task runs (one syscall per connection per loop turn). Event loop only; one
 * instance per loop thread.
 */
final class LoopDrains {
    private static final Logger log = LoggerFactory.getLogger(LoopDrains.class);
    private static final FastThreadLocal<LoopDrains> CURRENT = new FastThreadLocal<>() {
        @Override
        protected LoopDrains initialValue() {
            return new LoopDrains();
        }
    };

    private ArrayList<ConnectionWriter> due = new ArrayList<>();
    private ArrayList<ConnectionWriter> running = new ArrayList<>();
    private boolean scheduled;
    private final Runnable task = this::run;

    private LoopDrains() { }

    /** On {@code loop}'s thread: drains {@code writer} after the current task, with the others due by then. */
    static void add(ConnectionWriter writer, Executor loop) {
        LoopDrains d = CURRENT.get();
        d.due.add(writer);
        if (!d.scheduled) {
            d.scheduled = true;
            try {
                loop.execute(d.task);
            } catch (RejectedExecutionException e) { // the loop is shutting down: its connections go with it
                d.scheduled = false;
                d.due.clear();
            }
        }
    }

    private void run() {
        scheduled = false; // a drain that makes another one due (a whenDrained task that sends) schedules the next run
        ArrayList<ConnectionWriter> batch = due;
        due = running;
        running = batch;
        for (int i = 0, n = batch.size(); i < n; i++) {
            try {
                batch.get(i).drain();
            } catch (RuntimeException e) {
                log.error("a connection's drain failed", e);
            }
        }
        batch.clear();
    }
}
