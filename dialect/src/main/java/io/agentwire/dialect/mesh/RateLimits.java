package io.agentwire.dialect.mesh;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-agent limits per category over a sliding minute (spec 003: 100 messages, 30 tool executions, 200 memory
 * operations, 10 control-loop cycles): each category counts apart, so one exhausted leaves the others untouched.
 */
final class RateLimits {
    enum Category { MESSAGES, TOOL_EXECUTIONS, MEMORY, CONTROL_LOOP_CYCLES, NONE }

    static final long WINDOW_MS = 60_000;
    private final MeshSettings.Limits limits;
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();

    RateLimits(MeshSettings.Limits limits) {
        this.limits = limits;
    }

    int limit(Category c) {
        return switch (c) {
            case MESSAGES -> limits.messages();
            case TOOL_EXECUTIONS -> limits.toolExecutions();
            case MEMORY -> limits.memory();
            case CONTROL_LOOP_CYCLES -> limits.controlLoopCycles();
            case NONE -> Integer.MAX_VALUE;
        };
    }

    /** Counts one call; 0 when allowed, else the milliseconds until one more would be. */
    long take(String subject, Category c, long now) {
        if (c == Category.NONE) return 0;
        ArrayDeque<Long> w = windows.computeIfAbsent(subject + '\u0000' + c, k -> new ArrayDeque<>());
        synchronized (w) {
            while (!w.isEmpty() && w.peekFirst() <= now - WINDOW_MS) w.pollFirst();
            if (w.size() >= limit(c)) return Math.max(1, w.peekFirst() + WINDOW_MS - now);
            w.addLast(now);
            return 0;
        }
    }

    /** Forgets the windows of a subject (its last socket left and the window passed): bounded memory. */
    void sweep(long now) {
        windows.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Long last = e.getValue().peekLast();
                return last == null || last <= now - WINDOW_MS;
            }
        });
    }
}
