package io.agentwire.agent.remote;

import io.agentwire.agent.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's side of one run of a remote agent: the agent's messages waiting for the run's thread, the highest
 * {@code n} handled, what each handled {@code n} was answered with (to answer a resent message the same way), and
 * whether the agent is lost.
 */
final class RemoteRun {
    /** Agent messages that may wait for the run's thread; beyond it a message is refused (RATE_LIMITED). */
    static final int MAX_WAITING = 10_000;

    final RunRequest request;
    final String startMessage;
    private final LinkedBlockingQueue<Inbound> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** n → seq of the event it published. */
    final ConcurrentHashMap<Long, Long> seqs = new ConcurrentHashMap<>();
    /** n → the run.response that answered an agent.user_confirm. */
    final ConcurrentHashMap<Long, String> responses = new ConcurrentHashMap<>();
    /** The latest run.response: sent again when the agent comes back (it may have missed it). */
    volatile String lastResponse;
    /** The highest n handled (written by the run's thread only). */
    volatile long lastN;
    /** Cancellation was passed on to the agent (run.cancel sent, or due when it comes back). */
    volatile boolean cancelling;
    private Thread thread;
    private boolean inConfirm;
    private String lost;

    RemoteRun(RunRequest request) {
        this.request = request;
        this.startMessage = Outbound.runStart(request);
    }

    String runId() {
        return request.runId();
    }

    /** Queues an agent's message for the run's thread; false if too many wait. Any thread. */
    boolean offer(Inbound.OfRun m) {
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            return false;
        }
        queue.add(m);
        return true;
    }

    /** Takes the agent's messages still waiting (signals are dropped): for a run whose thread has ended. */
    List<Inbound.OfRun> drainWaiting() {
        List<Inbound.OfRun> out = new ArrayList<>();
        for (Inbound m; (m = queue.poll()) != null; ) {
            if (m instanceof Inbound.OfRun r) {
                waiting.decrementAndGet();
                out.add(r);
            }
        }
        return out;
    }

    /** Gives the run's thread a signal ({@link Inbound.Dropped}). Any thread. */
    void signal(Inbound signal) {
        queue.add(signal);
    }

    /** The next message or signal; waits up to {@code nanos} (negative: without limit). Run's thread. */
    Inbound next(long nanos) throws InterruptedException {
        Inbound m = nanos < 0 ? queue.take() : queue.poll(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (m instanceof Inbound.OfRun) waiting.decrementAndGet();
        return m;
    }

    /**
     * The agent is lost: the run's thread gets {@link Inbound.Lost}, and is interrupted if it waits for a
     * confirmation (which would otherwise go on waiting for a person). Idempotent.
     */
    synchronized void lose(String why) {
        if (lost != null) return;
        lost = why;
        queue.add(new Inbound.Lost(why));
        if (inConfirm && thread != null) thread.interrupt();
    }

    synchronized String lost() {
        return lost;
    }

    /** The run's thread enters a confirmation wait; false if the agent is already lost. */
    synchronized boolean enterConfirm() {
        if (lost != null) return false;
        thread = Thread.currentThread();
        inConfirm = true;
        return true;
    }

    synchronized void leaveConfirm() {
        inConfirm = false;
    }
}
