package io.agentwire.dialect.tracking;

import java.util.Locale;
import java.util.Optional;

/** An agent's status as spec 002 names it ({@code agent_status.status}). */
public enum AgentStatus {
    /** Agent not active. */
    IDLE,
    /** Analyzing the query. */
    ANALYZING,
    /** Executing a task. */
    PROCESSING,
    /** Working with other agents. */
    COLLABORATING,
    /** Task finished. */
    COMPLETED,
    /** An error occurred. */
    ERROR;

    /** Whether an agent in this status is at work (counted in {@code agents_active}). */
    public boolean active() {
        return this == ANALYZING || this == PROCESSING || this == COLLABORATING;
    }

    /** The status named {@code text}, case-insensitively. */
    public static Optional<AgentStatus> parse(String text) {
        if (text == null) return Optional.empty();
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
