package io.agentwire.agent;

/**
 * Thrown inside a run by {@link AgentContext#checkCancelled}, {@link AgentContext#pause} and
 * {@link AgentContext#confirm} once the run has been cancelled. An agent may catch it to report what it stopped
 * (for example {@code solver.cancelled}) and should then rethrow it or return.
 */
public final class RunCancelledException extends RuntimeException {
    private final String runId;

    public RunCancelledException(String runId) {
        super("run " + runId + " was cancelled", null, false, false);
        this.runId = runId;
    }

    /** The id of the cancelled run. */
    public String runId() {
        return runId;
    }
}
