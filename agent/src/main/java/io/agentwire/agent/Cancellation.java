package io.agentwire.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancellation state of one run: a flag the agent polls, plus an interrupt of the run's thread so that a
 * blocked wait ends at once.
 *
 * <p>The interrupt is never delivered while the run's thread is publishing ({@link #shield}): a sink may do
 * blocking I/O that an interrupt would break (an NIO channel closes on interrupt). An interrupt that arrives then
 * is owed and delivered by {@link #unshield}. After {@link #close} (the agent has returned) none is delivered.
 * Hooks ({@link #onRequest}) abort calls an interrupt does not end; they run once, on the requesting thread.
 */
final class Cancellation {
    private static final Logger log = LoggerFactory.getLogger(Cancellation.class);
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean requested;
    private Thread thread;
    private boolean shielded;
    private boolean owed;
    private boolean closed;

    boolean requested() {
        return requested;
    }

    /** Binds the run's thread (the current one). */
    synchronized void attach() {
        thread = Thread.currentThread();
        if (requested) thread.interrupt();
    }

    /** Requests cancellation: interrupts the thread (unless shielded) and runs the hooks; false if already requested. */
    boolean request() {
        List<Runnable> claimed = new ArrayList<>();
        synchronized (this) {
            if (requested) return false;
            requested = true;
            // claim the hooks before the interrupt: an interrupted thread leaves its try-with-resources at once and
            // closes its registration, which must not make its hook be skipped (a hook registered from now on runs
            // in onRequest, which sees requested)
            for (Runnable hook : hooks) {
                if (hooks.remove(hook)) claimed.add(hook);
            }
            if (thread != null && !closed && thread != Thread.currentThread()) { // a thread does not interrupt itself
                if (shielded) owed = true;
                else thread.interrupt();
            }
        }
        claimed.forEach(Cancellation::runHook);
        return true;
    }

    /** Registers a hook run once on {@link #request} (at once if already requested); close to remove it. */
    AgentContext.Registration onRequest(Runnable hook) {
        hooks.add(hook);
        if (requested && hooks.remove(hook)) runHook(hook);
        return () -> hooks.remove(hook);
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            log.warn("a cancel hook failed", e);
        }
    }

    /** The run's thread was interrupted in a wait: that is a request to cancel (whoever sent it). */
    synchronized void interrupted() {
        requested = true;
    }

    /** Enters a region where the run's thread must not be interrupted; clears (and owes) a pending interrupt. */
    synchronized void shield() {
        if (Thread.currentThread() != thread || closed) return;
        shielded = true;
        if (Thread.interrupted()) owed = true;
    }

    /** Leaves the shielded region, delivering an owed interrupt. */
    synchronized void unshield() {
        if (Thread.currentThread() != thread || !shielded) return;
        shielded = false;
        if (owed && !closed) {
            owed = false;
            thread.interrupt();
        }
    }

    /** The agent has returned: no more interrupts; clears the run thread's interrupt status. */
    synchronized void close() {
        closed = true;
        shielded = false;
        owed = false;
        if (Thread.currentThread() == thread) Thread.interrupted();
    }
}
