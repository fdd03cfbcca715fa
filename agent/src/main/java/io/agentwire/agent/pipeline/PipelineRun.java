package io.agentwire.agent.pipeline;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunCancelledException;
import io.agentwire.agent.RunRequest;
import io.agentwire.agent.Task;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.mcp.ToolOutcome;
import io.agentwire.agent.model.ChatRequest;
import io.agentwire.agent.model.ChatResponse;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.agent.model.ToolCall;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** One run of the {@link PipelineAgent}. */
final class PipelineRun {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_SHOWN_OUTPUT = 500;

    private enum Phase { PLANNING, SOLVING, AGGREGATING }

    private final RunRequest request;
    private final AgentContext ctx;
    private final ModelCalls model;
    private final McpToolbox tools;
    private final PipelineConfig config;
    private volatile Phase phase = Phase.PLANNING;

    PipelineRun(RunRequest request, AgentContext ctx, ModelCalls model, McpToolbox tools, PipelineConfig config) {
        this.request = request;
        this.ctx = ctx;
        this.model = model;
        this.tools = tools;
        this.config = config;
    }

    void play() throws Exception {
        try {
            List<Task> tasks = request.solveTasks() ? request.tasks() : plan();
            if (tasks.isEmpty()) return; // rejected
            phase = Phase.SOLVING;
            List<Callable<String>> solvers = new ArrayList<>();
            for (Task task : tasks) solvers.add(() -> solve(task));
            List<String> results = ctx.parallel(solvers);
            phase = Phase.AGGREGATING;
            String answer = aggregate(tasks, results);
            ctx.emit("agent.final_answer", JSON.objectNode().put("text", answer), null);
            ctx.emit(RunEvent.COMPLETED, null, JSON.objectNode().put("tasks", tasks.size()).put("status", "completed"));
        } catch (RunCancelledException e) {
            if (phase == Phase.PLANNING) ctx.emit("plan.cancelled", JSON.objectNode().put("reason", "cancelled"), null);
            throw e;
        }
    }

    // --- plan ---

    private List<Task> plan() throws Exception {
        ctx.emit("plan.start", JSON.objectNode().put("query", request.text()), null);
        ChatRequest chat = new ChatRequest(null).system(Prompts.planner(config.maxTasks())).user(request.text());
        List<Task> tasks = null;
        for (int attempt = 1; tasks == null; attempt++) {
            ChatResponse answer = model.complete(ctx, "plan", chat, piece -> { });
            try {
                tasks = PlanReader.read(answer.content(), config.maxTasks());
            } catch (IllegalArgumentException e) {
                coercionError(answer.content(), e.getMessage(), attempt);
                if (attempt >= 2) {
                    throw new AgentWireException(ErrorCode.PLAN_UNREADABLE,
                            "The planner's answer could not be read as a plan, also after a retry (" + e.getMessage() + ").");
                }
                chat.assistant(answer).user(Prompts.plannerRetry(e.getMessage(), config.maxTasks()));
            }
        }
        ObjectNode content = JSON.objectNode();
        ArrayNode list = content.putArray("tasks");
        tasks.forEach(t -> list.addObject().put("task_id", t.taskId()).put("description", t.description()));
        ctx.emit("plan.completed", content, null);
        return confirmed(tasks) ? tasks : List.of();
    }

    private void coercionError(String output, String problem, int attempt) {
        String shown = output.length() > MAX_SHOWN_OUTPUT ? output.substring(0, MAX_SHOWN_OUTPUT) + "…" : output;
        ObjectNode meta = JSON.objectNode().put("code", ErrorCode.PLAN_UNREADABLE.name()).put("attempt", attempt)
                .put("will_retry", attempt < 2);
        ctx.emit("plan.coercion_error", JSON.objectNode().put("message", "The plan could not be read: " + problem)
                .put("output", shown), meta);
    }

    private boolean confirmed(List<Task> tasks) {
        JsonNode wanted = request.metadata().path("confirm");
        boolean confirm = wanted.isBoolean() ? wanted.asBoolean() && config.confirmPlan() : config.confirmPlan();
        if (!confirm) return true;
        JsonNode answer = ctx.confirm("confirm_plan_" + ctx.runId(), "Approve this plan of " + tasks.size()
                + (tasks.size() == 1 ? " task?" : " tasks?"), List.of("approve", "reject"), "approve", config.confirmTimeout());
        boolean rejected = answer.path("approved").isBoolean() && !answer.path("approved").asBoolean()
                || "reject".equals(answer.path("value").asText(null));
        if (!rejected) return true;
        ctx.emit("plan.cancelled", JSON.objectNode().put("reason", "plan rejected"), null);
        ctx.emit(RunEvent.COMPLETED, null, JSON.objectNode().put("status", "rejected"));
        return false;
    }

    // --- solve ---

    private String solve(Task task) throws Exception {
        ObjectNode meta = JSON.objectNode().put("task_id", task.taskId());
        ctx.emit("solver.start", JSON.objectNode().put("task_id", task.taskId()).put("description", task.description()), meta);
        try {
            String result = ctx.within("solve_" + task.taskId(), config.solverTimeout(), () -> loop(task, meta));
            ctx.emit("solver.completed", JSON.objectNode().put("task_id", task.taskId()).put("result", result), meta);
            return result;
        } catch (RunCancelledException e) {
            ctx.emit("solver.cancelled", JSON.objectNode().put("task_id", task.taskId()), meta);
            throw e;
        }
    }

    /** The solver's bounded tool-using loop; returns its answer. */
    private String loop(Task task, ObjectNode meta) throws Exception {
        ChatRequest chat = new ChatRequest(tools.openAiTools()).system(Prompts.solver(!tools.isEmpty()))
                .user(Prompts.solverTask(request.text(), task));
        ChatResponse answer = null;
        for (int i = 1; i <= config.maxIterations(); i++) {
            answer = model.complete(ctx, task.taskId(), chat, piece -> ctx.partialAnswer(piece, meta));
            if (answer.toolCalls().isEmpty()) return answer.content();
            chat.assistant(answer);
            for (ToolCall call : answer.toolCalls()) chat.toolResult(call.id(), callTool(call, meta));
        }
        String last = answer.content();
        return last.isBlank() ? "(no answer after " + config.maxIterations() + " model calls)" : last;
    }

    /** Runs one tool call, reporting it; returns what the model reads back. */
    private String callTool(ToolCall call, ObjectNode meta) {
        ctx.toolCall(call.id(), call.name(), arguments(call.arguments()), meta);
        ToolOutcome outcome = tools.call(call.name(), call.arguments(), ctx);
        ObjectNode resultMeta = meta.deepCopy();
        if (outcome.isError()) resultMeta.put("code", outcome.code().name());
        ctx.toolResult(call.id(), call.name(), outcome.text(), outcome.isError(), resultMeta);
        return outcome.isError() ? "ERROR: " + outcome.text() : outcome.text();
    }

    /** The arguments as JSON for the event, or as the text the model wrote if it is not JSON. */
    private static JsonNode arguments(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node != null && node.isObject()) return node;
        } catch (IOException e) {
            // fall through
        }
        return JSON.objectNode().put("_raw", text);
    }

    // --- aggregate ---

    private String aggregate(List<Task> tasks, List<String> results) throws Exception {
        ObjectNode meta = JSON.objectNode().put("phase", "aggregate");
        ctx.emit("aggregate.start", JSON.objectNode().put("tasks", tasks.size()), null);
        ChatRequest chat = new ChatRequest(null).system(Prompts.aggregator())
                .user(Prompts.aggregate(request.text(), tasks, results));
        ChatResponse answer = model.complete(ctx, "aggregate", chat, piece -> ctx.partialAnswer(piece, meta));
        ctx.emit("aggregate.completed", JSON.objectNode().put("tasks", tasks.size()), null);
        return answer.content();
    }
}
