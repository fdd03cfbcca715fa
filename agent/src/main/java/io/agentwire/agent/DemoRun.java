package io.agentwire.agent;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One run of the {@link DemoAgent}: the script, played step by step, and what to report if it is cancelled. */
final class DemoRun {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private enum Phase { PLANNING, SOLVING, AGGREGATING }

    private final RunRequest request;
    private final AgentContext ctx;
    private final DemoAgentConfig config;
    private Phase phase = Phase.PLANNING;
    private Task current;

    DemoRun(RunRequest request, AgentContext ctx, DemoAgentConfig config) {
        this.request = request;
        this.ctx = ctx;
        this.config = config;
    }

    void play() {
        try {
            List<Task> tasks = request.solveTasks() ? request.tasks() : plan();
            if (tasks.isEmpty()) return; // the plan was rejected
            phase = Phase.SOLVING;
            for (Task task : tasks) solve(task);
            phase = Phase.AGGREGATING;
            aggregate(tasks);
            say("agent.final_answer", text(DemoScript.finalAnswer(request.text(), tasks)), null);
            ObjectNode meta = JSON.objectNode().put("tasks", tasks.size()).put("status", "completed");
            ctx.emit(RunEvent.COMPLETED, null, meta);
        } catch (RunCancelledException e) {
            if (phase == Phase.PLANNING) {
                ctx.emit("plan.cancelled", JSON.objectNode().put("reason", "cancelled"), null);
            } else if (phase == Phase.SOLVING && current != null) {
                ctx.emit("solver.cancelled", JSON.objectNode().put("task_id", current.taskId()), null);
            }
            throw e;
        }
    }

    /** Plans and asks for approval; returns the tasks, or none if the plan was rejected. */
    private List<Task> plan() {
        say("plan.start", JSON.objectNode().put("query", request.text()), null);
        for (String thought : DemoScript.planningThoughts(request.text())) say("agent.thinking", text(thought), null);
        List<Task> tasks = DemoScript.plan(request.text());
        ObjectNode content = JSON.objectNode();
        ArrayNode list = content.putArray("tasks");
        tasks.forEach(t -> list.addObject().put("task_id", t.taskId()).put("description", t.description()));
        say("plan.completed", content, null);
        if (!confirmWanted()) return tasks;
        JsonNode answer = ctx.confirm("confirm_plan_" + ctx.runId(), DemoScript.confirmPrompt(tasks.size()),
                List.of("approve", "reject"), "approve", config.confirmTimeout());
        if (answer.path("approved").isBoolean() && !answer.path("approved").asBoolean()
                || "reject".equals(answer.path("value").asText(null))) {
            ctx.emit("plan.cancelled", JSON.objectNode().put("reason", "plan rejected"), null);
            ctx.emit(RunEvent.COMPLETED, null, JSON.objectNode().put("status", "rejected"));
            return List.of();
        }
        return tasks;
    }

    private boolean confirmWanted() {
        JsonNode confirm = request.metadata().path("confirm");
        return confirm.isBoolean() ? confirm.asBoolean() && config.confirmPlan() : config.confirmPlan();
    }

    private void solve(Task task) {
        current = task;
        say("solver.start", JSON.objectNode().put("task_id", task.taskId()).put("description", task.description()),
                null);
        say("agent.thinking", text(DemoScript.solvingThought(task)), null);
        String callId = "call_" + task.taskId();
        ObjectNode call = JSON.objectNode().put("tool", DemoScript.TOOL);
        call.putObject("arguments").put("query", task.description());
        say("agent.tool_call", call, JSON.objectNode().put("call_id", callId));
        say("agent.tool_result", JSON.objectNode().put("call_id", callId).put("result", DemoScript.searchResult(task)),
                JSON.objectNode().put("call_id", callId));
        say("agent.partial_answer", text(DemoScript.partial(task)), null);
        ctx.emit("solver.completed", JSON.objectNode().put("task_id", task.taskId())
                .put("result", DemoScript.result(task)), null);
        current = null; // a cancellation from here on is not this task's
        ctx.pause(config.stepDelay());
    }

    private void aggregate(List<Task> tasks) {
        say("aggregate.start", JSON.objectNode().put("tasks", tasks.size()), null);
        for (String part : DemoScript.aggregateParts(tasks.size())) say("agent.partial_answer", text(part), null);
        say("aggregate.completed", JSON.objectNode().put("tasks", tasks.size()), null);
    }

    /** Emits an event, then pauses for the configured step delay (where a cancellation is noticed). */
    private void say(String event, ObjectNode content, ObjectNode metadata) {
        ctx.emit(event, content, metadata);
        ctx.pause(config.stepDelay());
    }

    private static ObjectNode text(String text) {
        return JSON.objectNode().put("text", text);
    }
}
