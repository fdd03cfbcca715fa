package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The port through which dialects hand agent commands (start a run, answer a confirmation, cancel) to the
 * agent runtime. The runtime publishes the run's events to the session's stream through an {@link EventSink};
 * dialects only see them there. Methods return quickly (the run itself goes on on a virtual thread) and may be
 * called from an event loop.
 */
public interface AgentGateway {

    /** Starts a run. {@code text} is set for a message; {@code tasks} (a JSON array) for solve_tasks. */
    Reply start(RunStart request);

    /** Answers a pending confirmation step of the session. Unknown or answered step: {@code UNKNOWN_STEP}. */
    Reply respond(String sessionId, String stepId, JsonNode content);

    /** Cancels the session's run {@code runId}, or all its runs if null. Nothing to cancel: accepted, count 0. */
    Reply cancel(String sessionId, String runId);

    /** Runs currently in progress in the session (their ids). */
    java.util.List<String> activeRuns(String sessionId);

    /**
     * @param agent the agent's name, or null for the configured default
     * @param metadata the client's metadata of the command (never interpreted, echoed where useful)
     */
    record RunStart(String sessionId, Principal principal, String agent, String text, JsonNode tasks,
                    JsonNode metadata) { }

    /**
     * The answer to a command: accepted (with the run id where one exists and a count of affected runs), or
     * refused with a stable code and a message for the client.
     */
    record Reply(boolean accepted, String runId, int count, ErrorCode code, String message) {
        public static Reply started(String runId) { return new Reply(true, runId, 1, null, null); }
        public static Reply accepted(int count) { return new Reply(true, null, count, null, null); }
        public static Reply accepted(String runId, int count) { return new Reply(true, runId, count, null, null); }
        public static Reply refused(ErrorCode code, String message) { return new Reply(false, null, 0, code, message); }
    }
}
