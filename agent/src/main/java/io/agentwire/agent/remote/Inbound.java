package io.agentwire.agent.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The messages a remote agent sends, validated (see {@link AgentWire#parse}); and the signals its runs get. */
sealed interface Inbound {

    /** {@code register {name, capabilities?, version?, resume?}}. */
    record Register(String name, List<String> capabilities, String version, List<String> resume) implements Inbound { }

    /** {@code heartbeat}: liveness only. */
    record Heartbeat() implements Inbound { }

    /** A message of one run, numbered by the agent ({@code n} strictly increasing per run). */
    sealed interface OfRun extends Inbound {
        String runId();

        long n();
    }

    /** {@code event {run_id, n, event, step_id?, content?, metadata?, show_content?}}. */
    record Event(String runId, long n, String event, String stepId, ObjectNode content, ObjectNode metadata,
                 String showContent, Confirm confirm) implements OfRun { }

    /** What an {@code agent.user_confirm} event asks. */
    record Confirm(String prompt, List<String> options, String defaultOption, long timeoutMs) { }

    /** {@code run.end {run_id, n, status?, metadata?}}. */
    record End(String runId, long n, String status, ObjectNode metadata) implements OfRun { }

    /** Given to a run's thread: the agent stayed away beyond its grace, or came back without the run. */
    record Lost(String why) implements Inbound { }

    /** Given to a run's thread: the agent's connection dropped. */
    record Dropped() implements Inbound { }

    /** A message that can not be accepted: answered with an {@code error} (the connection stays open). */
    record Invalid(io.agentwire.core.ErrorCode code, String field, String message, String runId, Long n)
            implements Inbound { }
}
