package io.agentwire.agent.pipeline;

import io.agentwire.agent.Durations;
import java.time.Duration;

/**
 * Settings of the {@link PipelineAgent}. Immutable; validated on construction.
 *
 * @param confirmPlan whether the plan is shown for approval ({@code agent.user_confirm}) before solving; a client
 *     may skip it for one run with metadata {@code "confirm": false}
 * @param confirmTimeout how long the approval waits before taking its default (approve)
 * @param maxTasks the most tasks a plan may have (1..32); a longer plan is cut to its first {@code maxTasks}
 * @param maxIterations the most model calls one solver makes (1..50): its tool-using loop stops there
 * @param solverTimeout how long one solver may take in all; past it {@code error.timeout} and the run fails
 */
public record PipelineConfig(boolean confirmPlan, Duration confirmTimeout, int maxTasks, int maxIterations,
                             Duration solverTimeout) {

    public PipelineConfig {
        Durations.positive("confirmTimeout", confirmTimeout);
        Durations.positive("solverTimeout", solverTimeout);
        if (maxTasks < 1 || maxTasks > 32) throw new IllegalArgumentException("maxTasks must be 1..32, was " + maxTasks);
        if (maxIterations < 1 || maxIterations > 50) {
            throw new IllegalArgumentException("maxIterations must be 1..50, was " + maxIterations);
        }
    }

    /** Confirm the plan (60 s), at most 5 tasks, 8 model calls per solver, 10 minutes per solver. */
    public static PipelineConfig defaults() {
        return new PipelineConfig(true, Duration.ofSeconds(60), 5, 8, Duration.ofMinutes(10));
    }

    public PipelineConfig withConfirmPlan(boolean confirm) {
        return new PipelineConfig(confirm, confirmTimeout, maxTasks, maxIterations, solverTimeout);
    }

    public PipelineConfig withMaxIterations(int max) {
        return new PipelineConfig(confirmPlan, confirmTimeout, maxTasks, max, solverTimeout);
    }

    public PipelineConfig withSolverTimeout(Duration timeout) {
        return new PipelineConfig(confirmPlan, confirmTimeout, maxTasks, maxIterations, timeout);
    }
}
