package io.agentwire.agent;

/**
 * An agent: the code that does the work of a run and reports it as events.
 *
 * <p>The {@link AgentRuntime} calls {@link #run} once per run, on a virtual thread of its own, so the agent may
 * block (sleep, wait for a confirmation, call a model or a tool). It reports what it does through
 * {@link AgentContext#emit}, asks the user through {@link AgentContext#confirm}, and cooperates with cancellation
 * through {@link AgentContext#pause}, {@link AgentContext#checkCancelled} or {@link AgentContext#cancelled}.
 *
 * <p>When {@code run} returns or throws, the run is over. If the agent did not emit {@code pipeline.completed}
 * itself, the runtime does (status {@code completed}, {@code cancelled} or {@code failed}); an exception other
 * than {@link RunCancelledException} is reported as {@code agent.error} with code {@code AGENT_FAILED}.
 * Implementations must be thread-safe: several runs may use one agent at the same time.
 */
public interface Agent {

    /** The name clients choose the agent by (for example {@code demo}); lower case, digits, {@code _} or {@code -}. */
    String name();

    /**
     * Does the work of one run.
     *
     * @param request what the client asked for
     * @param ctx the run's context: events, confirmations, cancellation
     * @throws RunCancelledException when it stops because the run was cancelled
     * @throws Exception when it fails; the runtime reports the failure to the session
     */
    void run(RunRequest request, AgentContext ctx) throws Exception;
}
