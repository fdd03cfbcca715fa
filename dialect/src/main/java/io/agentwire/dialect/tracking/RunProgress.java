package io.agentwire.dialect.tracking;

/**
 * How far one envelope run has come, folded from its events: its tasks (when the plan named them), the task under
 * way, and the status and progress last reported. Progress never goes back within a run. Confined to the
 * tracker's thread.
 */
final class RunProgress {
    final String runId;
    /** The agent's name: the default agent's until an event of the run names its agent ({@code metadata.agent}). */
    String agentName;
    Integer tasksTotal;
    int tasksDone;
    String taskId;
    AgentStatus status = AgentStatus.ANALYZING;
    int progress;

    RunProgress(String runId, String agentName) {
        this.runId = runId;
        this.agentName = agentName;
    }

    /**
     * Progress while solving: 20 % → 80 % by tasks done. Without a plan (a {@code user.solve_tasks} run) the number
     * of tasks is unknown and the estimate rises towards 80 % with every task done (20, 50, 60, 65 …).
     */
    int solvingProgress() {
        if (tasksTotal != null && tasksTotal > 0) return 20 + 60 * Math.min(tasksDone, tasksTotal) / tasksTotal;
        return 20 + 60 * tasksDone / (tasksDone + 1);
    }

    /** Moves to {@code next} at {@code atLeast} percent, or further if the run already got there. */
    void advance(AgentStatus next, int atLeast) {
        status = next;
        progress = Math.max(progress, Math.min(100, atLeast));
    }
}
