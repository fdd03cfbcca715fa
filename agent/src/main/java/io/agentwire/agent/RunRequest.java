package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.Principal;
import java.util.List;
import java.util.Objects;

/**
 * What a run was asked to do: a message ({@link #text}) or a list of tasks to solve ({@link #tasks}, from
 * {@code user.solve_tasks}, which skips planning).
 *
 * @param sessionId the session the run belongs to; its events go to the session's stream
 * @param runId the run's id ({@code run_} and 12 hex digits), carried as {@code metadata.run_id} by every event
 * @param agent the name of the agent running it
 * @param principal who started it
 * @param text the user's message, or null for a solve_tasks run
 * @param tasks the tasks to solve; empty for a message run
 * @param metadata the client's metadata of the command (an object, empty if none was given)
 */
public record RunRequest(String sessionId, String runId, String agent, Principal principal, String text,
                         List<Task> tasks, JsonNode metadata) {
    public RunRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(agent, "agent");
        principal = principal == null ? Principal.ANONYMOUS : principal;
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        metadata = metadata == null || !metadata.isObject()
                ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
        if (text == null && tasks.isEmpty()) throw new IllegalArgumentException("a run needs a text or tasks");
    }

    /** True for a {@code user.solve_tasks} run: the tasks are given and planning is skipped. */
    public boolean solveTasks() {
        return !tasks.isEmpty();
    }
}
