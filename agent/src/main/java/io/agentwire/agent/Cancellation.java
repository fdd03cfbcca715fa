package io.agentwire.agent;

/**
 * The cancellation state of one run: a flag the agent polls, plus an interrupt of the run's thread so that a
 * blocked wait ends at once.
 *
 * <p>The interrupt is never delivered while the run's thread is publishing ({@link #shield}): a sink may do
 * blocking I/O that an interrupt would break (an NIO channel closes on interrupt). An interrupt that arrives then
 * is owed and delivered by {@link #unshield}. After {@link #close} (the agent has returned) none is delivered.
 */
final class Cancellation {
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

    /** Requests cancellation; false if it was already requested. */
    synchronized boolean request() {
        if (requested) return false;
        requested = true;
        if (thread != null && !closed) {
            if (shielded) owed = true;
            else thread.interrupt();
        }
        return true;
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
