package io.agentwire.agent.pipeline;

import io.agentwire.agent.Task;
import java.util.List;

/** The instructions the pipeline gives the model, per phase. */
final class Prompts {
    private Prompts() { }

    static String planner(int maxTasks) {
        return "You are the planner of a team of assistants. Split the user's request into 1 to " + maxTasks
                + " independent tasks that can be worked on at the same time. Answer with JSON only, no prose: "
                + "{\"tasks\": [{\"description\": \"...\"}]}";
    }

    static String plannerRetry(String problem, int maxTasks) {
        return "Your answer could not be read as a plan (" + problem + "). Answer again with JSON only: "
                + "{\"tasks\": [{\"description\": \"...\"}]}, with 1 to " + maxTasks + " tasks.";
    }

    static String solver(boolean tools) {
        return "You are a solver. Work on the one task you are given and answer it concisely."
                + (tools ? " Call the tools you are offered when they help; their results come back to you." : "");
    }

    static String solverTask(String request, Task task) {
        return (request == null ? "" : "The user's request: " + request + "\n") + "Your task: " + task.description();
    }

    static String aggregator() {
        return "You are the aggregator. Write the final answer to the user's request from the results of the tasks "
                + "below. Be complete and concise.";
    }

    static String aggregate(String request, List<Task> tasks, List<String> results) {
        StringBuilder s = new StringBuilder();
        if (request != null) s.append("The user's request: ").append(request).append("\n\n");
        for (int i = 0; i < tasks.size(); i++) {
            s.append("Task ").append(tasks.get(i).taskId()).append(": ").append(tasks.get(i).description())
                    .append("\nResult: ").append(results.get(i)).append("\n\n");
        }
        return s.toString().strip();
    }
}
