package io.agentwire.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in progress, per session. Each session's list is immutable and replaced atomically. */
final class RunRegistry {
    private final ConcurrentHashMap<String, List<RunContext>> bySession = new ConcurrentHashMap<>();

    /** Adds the run unless its session already has {@code max} runs; true if added. */
    boolean tryAdd(RunContext run, int max) {
        boolean[] added = {false};
        bySession.compute(run.sessionId(), (id, runs) -> {
            List<RunContext> current = runs == null ? List.of() : runs;
            if (current.size() >= max) return runs;
            List<RunContext> next = new ArrayList<>(current);
            next.add(run);
            added[0] = true;
            return List.copyOf(next);
        });
        return added[0];
    }

    /** Removes the run; does nothing if it is not there. */
    void remove(RunContext run) {
        bySession.computeIfPresent(run.sessionId(), (id, runs) -> {
            List<RunContext> next = new ArrayList<>(runs);
            next.remove(run);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    /** The session's runs, oldest first. */
    List<RunContext> of(String sessionId) {
        return sessionId == null ? List.of() : bySession.getOrDefault(sessionId, List.of());
    }

    /** Every run in progress. */
    List<RunContext> all() {
        List<RunContext> all = new ArrayList<>();
        bySession.values().forEach(all::addAll);
        return all;
    }
}
