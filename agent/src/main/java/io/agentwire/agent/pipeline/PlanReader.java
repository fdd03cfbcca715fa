package io.agentwire.agent.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.agent.Task;
import io.agentwire.agent.Tasks;
import java.io.IOException;
import java.util.List;

/**
 * Reads the planner's answer as a plan: JSON {@code {"tasks": [...]}} or a bare array, whose items are strings or
 * {@code {task_id?, description}} objects; the JSON may sit in a Markdown code fence or after some prose (small
 * models add both).
 */
final class PlanReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanReader() { }

    /**
     * @return the tasks, at most {@code maxTasks}
     * @throws IllegalArgumentException saying why the text is not a plan
     */
    static List<Task> read(String text, int maxTasks) {
        String json = extract(text);
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        JsonNode tasks = node != null && node.isObject() ? node.get("tasks") : node;
        if (tasks == null || !tasks.isArray()) throw new IllegalArgumentException("no \"tasks\" array");
        List<Task> parsed = Tasks.parse(tasks);
        return parsed.size() > maxTasks ? parsed.subList(0, maxTasks) : parsed;
    }

    /** The JSON part of the text: inside a code fence if there is one, else from the first { or [ to the last } or ]. */
    private static String extract(String text) {
        String s = text == null ? "" : text.strip();
        int fence = s.indexOf("```");
        if (fence >= 0) {
            int start = s.indexOf('\n', fence);
            int end = s.indexOf("```", fence + 3);
            if (start >= 0 && end > start) s = s.substring(start + 1, end).strip();
        }
        int open = firstOf(s, '{', '[');
        int close = Math.max(s.lastIndexOf('}'), s.lastIndexOf(']'));
        if (open < 0 || close < open) throw new IllegalArgumentException("no JSON object or array in the answer");
        return s.substring(open, close + 1);
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) return j;
        if (j < 0) return i;
        return Math.min(i, j);
    }
}
