package io.agentwire.agent.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote agent's name while it is registered: its current connection (null while it is away, for at most
 * the grace period), its runs in progress and the runs it recently ended. Thread-safe; nothing here blocks.
 */
final class Registration {
    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    private static final int ENDED_KEPT = 1_000;

    /** How a run ended, kept to answer an agent that asks about it (or resends its run.end) later. */
    record Ended(String status, long endN, Long endSeq) { }

    final String name;
    final RemoteAgent agent;
    private final RemoteAgents owner;
    private final Map<String, RemoteRun> runs = new LinkedHashMap<>();
    /** Shared with the registrations of this name before and after this one (see {@link #endedRuns}). */
    private final Map<String, Ended> ended;
    private AgentLink link;
    private List<String> capabilities = List.of();
    private String version;
    /** Counts claims and drops: a grace timer only acts if nothing happened since its drop. */
    private long generation;
    private long awaySince;
    private boolean gone;

    /** @param ended the runs the previous registration of this name ended, or null */
    Registration(String name, RemoteAgents owner, Map<String, Ended> ended) {
        this.name = name;
        this.owner = owner;
        this.ended = ended != null ? ended : endedRuns();
        this.agent = new RemoteAgent(this, owner.config());
    }

    /** A bounded, thread-safe record of ended runs, kept across registrations of one name. */
    static Map<String, Ended> endedRuns() {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
                return size() > ENDED_KEPT;
            }
        });
    }

    Map<String, Ended> ended() {
        return ended;
    }

    /**
     * Takes the name for {@code l} (a new registration, or the agent back within its grace): answers
     * {@code registered}, sends each listed run's latest {@code run.response} again, and re-offers runs the agent
     * does not list in {@code resume}. False if the name is in use by a live connection or has expired.
     */
    synchronized boolean claim(AgentLink l, Inbound.Register r) {
        if (gone || link != null) return false;
        boolean back = generation > 0;
        link = l;
        generation++; // invalidates the grace timer of the last drop
        capabilities = r.capabilities();
        version = r.version();
        ObjectNode registered = Outbound.registered(name, owner.config());
        registered.put("resumed", back);
        ArrayNode states = registered.withArray("runs");
        Set<String> listed = new HashSet<>(r.resume());
        for (String id : r.resume()) {
            RemoteRun run = runs.get(id);
            Ended e = ended.get(id);
            ObjectNode s = states.addObject().put("run_id", id);
            if (run != null) s.put("state", "resumed").put("last_n", run.lastN);
            else if (e != null) s.put("state", "ended").put("status", e.status());
            else s.put("state", "unknown");
        }
        l.send(Outbound.encode(registered));
        for (RemoteRun run : runs.values()) {
            if (listed.contains(run.runId())) {
                String response = run.lastResponse; // the agent may have missed it: one it is not waiting for is ignored
                if (response != null) l.send(response);
                if (run.cancelling) l.send(Outbound.runCancel(run.runId()));
            } else if (run.lastN == 0) {
                l.send(run.startMessage);
            } else {
                run.lose("the agent came back without the run");
            }
        }
        if (back) {
            log.info("remote agent {} is back on {} after {} ms; runs in progress: {}", name, l.id(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - awaySince), runs.keySet());
        } else {
            log.info("remote agent {} registered on {} version={} capabilities={}", name, l.id(), version, capabilities);
        }
        return true;
    }

    /** The connection {@code l} dropped: the runs wait up to the grace period for the agent to come back. */
    void dropped(AgentLink l) {
        long timer;
        List<RemoteRun> waiting;
        synchronized (this) {
            if (link != l) return;
            link = null;
            timer = ++generation;
            awaySince = System.nanoTime();
            waiting = List.copyOf(runs.values());
        }
        log.info("remote agent {} disconnected ({}); {} runs wait up to {} ms for it", name, l.id(), waiting.size(),
                owner.config().grace().toMillis());
        waiting.forEach(run -> run.signal(new Inbound.Dropped()));
        owner.schedule(() -> expire(timer), owner.config().grace());
    }

    /** The grace period of the drop that made {@code timer} is over: if the agent is still away, it is gone. */
    private void expire(long timer) {
        List<RemoteRun> lost;
        synchronized (this) {
            if (link != null || gone || timer != generation) return;
            gone = true;
            lost = new ArrayList<>(runs.values());
        }
        owner.forget(this);
        log.warn("remote agent {} did not come back within {} ms; ending its runs {}", name,
                owner.config().grace().toMillis(), lost.stream().map(RemoteRun::runId).toList());
        lost.forEach(run -> run.lose("the agent did not come back within the grace period"));
    }

    /** Adds a run and offers it to the agent if connected; false if the registration is already gone. */
    synchronized boolean attach(RemoteRun run) {
        if (gone) return false;
        runs.put(run.runId(), run);
        if (link != null) link.send(run.startMessage);
        return true;
    }

    /**
     * The run is over; unless the agent ended it, it is told to stop ({@code run.cancel}). Its messages that
     * arrived after its thread took its last one (a {@code run.end} resent between the first one's ack and this) are
     * answered as for an ended run, on the agent's connection (away, it learns the run's state from its next
     * {@code registered}).
     */
    synchronized void detach(RemoteRun run, Ended end, boolean byAgent) {
        runs.remove(run.runId());
        ended.put(run.runId(), end);
        if (!byAgent && link != null && !run.cancelling) link.send(Outbound.runCancel(run.runId()));
        List<Inbound.OfRun> late = run.drainWaiting();
        if (link != null) late.forEach(m -> answerEnded(m, end, link));
    }

    /** Sends to the agent if it is connected; false if it is away. */
    synchronized boolean send(String text) {
        return link != null && link.send(text);
    }

    synchronized boolean isGone() {
        return gone;
    }

    synchronized boolean connected() {
        return link != null;
    }

    /** Hands an agent's message to its run's thread, or answers it at once (unknown run, resent run.end). */
    synchronized void deliver(Inbound.OfRun m, AgentLink from) {
        RemoteRun run = runs.get(m.runId());
        if (run != null) {
            if (!run.offer(m)) {
                from.send(Outbound.error(ErrorCode.RATE_LIMITED, null, "more than " + RemoteRun.MAX_WAITING
                        + " messages of this run wait to be published; send again after their acks", m.runId(), m.n()));
            }
            return;
        }
        answerEnded(m, ended.get(m.runId()), from);
    }

    /**
     * Answers a message of a run not in progress ({@code e}: how it ended, or null): a resent run.end's ack, or
     * UNKNOWN_RUN.
     */
    private void answerEnded(Inbound.OfRun m, Ended e, AgentLink to) {
        if (e != null && m instanceof Inbound.End end && end.n() == e.endN()) {
            to.send(Outbound.ack(m.runId(), m.n(), e.endSeq()));
            return;
        }
        String why = e != null ? "run " + m.runId() + " has ended (" + e.status() + ")"
                : "no run in progress with run_id " + m.runId() + " belongs to agent " + name;
        to.send(Outbound.error(ErrorCode.UNKNOWN_RUN, "run_id", why, m.runId(), m.n()));
    }
}
