package io.agentwire.agent;

import io.agentwire.core.Meters;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts agent runs: started by agent, and ended by agent and final status ({@code completed}, {@code failed},
 * {@code cancelled}, {@code rejected} …) with their durations (a timer: count, sum and histogram).
 */
public final class RunMeters {
    public static final RunMeters NONE = new RunMeters(Meters.NONE);

    private final Meters meters;
    private final ConcurrentHashMap<String, Meters.Counter> started = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Meters.Timer> ended = new ConcurrentHashMap<>();

    public RunMeters(Meters meters) {
        this.meters = meters;
    }

    void started(String agent) {
        started.computeIfAbsent(agent, a -> meters.counter("agentwire.agent.runs.started", "agent runs started",
                "agent", a)).increment();
    }

    void ended(String agent, String status, Duration duration) {
        ended.computeIfAbsent(agent + '\u0000' + status, k -> meters.timer("agentwire.agent.runs",
                "agent runs that ended, by agent and final status, with their durations", "agent", agent,
                "status", status)).recordNanos(duration.toNanos());
    }
}
