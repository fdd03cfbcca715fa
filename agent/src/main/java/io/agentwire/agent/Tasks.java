package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the tasks of a {@code user.solve_tasks} command: an array of strings or {@code {task_id?, description}}. */
public final class Tasks {
    private Tasks() { }

    /**
     * @return the tasks (ids default to {@code task_<n>}); empty if {@code tasks} is null or JSON null
     * @throws IllegalArgumentException with a message for the client if the array is malformed
     */
    public static List<Task> parse(JsonNode tasks) {
        if (tasks == null || tasks.isNull() || tasks.isMissingNode()) return List.of();
        if (!tasks.isArray()) throw new IllegalArgumentException("tasks must be an array");
        if (tasks.isEmpty()) throw new IllegalArgumentException("tasks must not be empty");
        List<Task> out = new ArrayList<>(tasks.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < tasks.size(); i++) {
            Task task = parseOne(tasks.get(i), i);
            if (!ids.add(task.taskId())) {
                throw new IllegalArgumentException("tasks[" + i + "]: duplicate task_id " + task.taskId());
            }
            out.add(task);
        }
        return List.copyOf(out);
    }

    private static Task parseOne(JsonNode node, int i) {
        String defaultId = "task_" + (i + 1);
        if (node.isTextual() && !node.asText().isBlank()) return new Task(defaultId, node.asText().strip());
        if (node.isObject()) {
            JsonNode description = node.get("description");
            JsonNode id = node.get("task_id");
            if (description == null || !description.isTextual() || description.asText().isBlank()) {
                throw new IllegalArgumentException("tasks[" + i + "].description must be a non-empty string");
            }
            if (id != null && !id.isNull() && (!id.isTextual() || id.asText().isBlank())) {
                throw new IllegalArgumentException("tasks[" + i + "].task_id must be a non-empty string");
            }
            String taskId = id == null || id.isNull() ? defaultId : id.asText().strip();
            return new Task(taskId, description.asText().strip());
        }
        throw new IllegalArgumentException("tasks[" + i + "] must be a string or an object with a description");
    }
}
