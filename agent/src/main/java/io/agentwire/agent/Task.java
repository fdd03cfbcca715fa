package io.agentwire.agent;

import java.util.Objects;

/**
 * One task of a run: planned by an agent or given by the client in {@code user.solve_tasks}.
 *
 * @param taskId the task's id within its run, for example {@code task_1}
 * @param description what the task is about, in words
 */
public record Task(String taskId, String description) {
    public Task {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(description, "description");
        if (taskId.isBlank()) throw new IllegalArgumentException("taskId must not be blank");
        if (description.isBlank()) throw new IllegalArgumentException("description must not be blank");
    }
}
