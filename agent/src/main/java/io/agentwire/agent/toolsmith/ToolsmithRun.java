package io.agentwire.agent.toolsmith;

import static io.agentwire.agent.toolsmith.ToolsmithEvents.data;
import static io.agentwire.agent.toolsmith.ToolsmithEvents.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RetryPolicy;
import io.agentwire.agent.RetryableException;
import io.agentwire.agent.RunCancelledException;
import io.agentwire.agent.RunRequest;
import io.agentwire.agent.model.ChatRequest;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.ToolStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the {@link ToolsmithAgent}: plan, find or write the tools, run them in the sandbox, answer, learn. */
final class ToolsmithRun {
    private static final Logger log = LoggerFactory.getLogger(ToolsmithRun.class);
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final RunRequest request;
    private final AgentContext ctx;
    private final ToolsmithAgent.Parts parts;
    private final ToolsmithConfig config;
    private final String prompt;
    private boolean synthesized;

    /** An argument list that does not fit the tool's signature. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    /** A tool's execution failed (already counted in the registry); {@code ran}: the tool itself ran and failed. */
    private static final class ExecutionFailed extends Exception {
        final boolean ran;

        ExecutionFailed(String message) {
            this(message, false);
        }

        ExecutionFailed(String message, boolean ran) {
            super(message);
            this.ran = ran;
        }
    }

    ToolsmithRun(RunRequest request, AgentContext ctx, ToolsmithAgent.Parts parts) {
        this.request = request;
        this.ctx = ctx;
        this.parts = parts;
        this.config = parts.config();
        this.prompt = request.text() != null ? request.text()
                : String.join("; ", request.tasks().stream().map(t -> t.description()).toList());
    }

    void play() throws Exception {
        int orphans = parts.registry().cleanupOrphans();
        if (orphans > 0) emit(ctx, "orphans_cleaned", data().put("count", orphans));
        emit(ctx, ToolsmithEvents.PLANNING_QUERY, data().put("query", prompt));
        Planner.Plan plan = parts.planner().plan(prompt, ctx);
        emit(ctx, ToolsmithEvents.PLAN_COMPLETE, data().put("strategy", plan.strategy()).put("reasoning", plan.reasoning()));
        switch (plan.strategy()) {
            case Planner.COMPOSITE -> composite(plan);
            case Planner.PATTERN -> pattern(plan);
            case Planner.SEQUENTIAL, Planner.COMPOSITION -> workflow(plan);
            case Planner.FORCE -> force();
            default -> single();
        }
    }

    // --- strategies ---

    private void single() throws Exception {
        emit(ctx, ToolsmithEvents.SEARCHING, data().put("query", prompt));
        Tool tool = null;
        JsonNode args = null;
        List<ToolSearch.Match> found = parts.search().search(prompt, config.searchThreshold());
        if (found.isEmpty()) {
            emit(ctx, ToolsmithEvents.NO_TOOL_FOUND, data().put("query", prompt));
        } else {
            ToolSearch.Match m = found.get(0);
            emit(ctx, ToolsmithEvents.TOOL_FOUND, data().put("tool_name", m.tool().name()).put("similarity", round(m.similarity())));
            try {
                args = arguments(m.tool(), prompt, null);
                tool = m.tool();
            } catch (Mismatch e) {
                emit(ctx, ToolsmithEvents.TOOL_MISMATCH, data().put("tool_name", m.tool().name()).put("error",
                        "Tool found, but arguments in your prompt do not match its requirements (" + e.getMessage()
                                + "). Attempting to synthesize a new tool."));
            }
        }
        if (tool == null) {
            tool = synthesize(prompt);
            args = argumentsOrFail(tool, prompt, null);
        }
        String result = executeReported(tool, args);
        respond(List.of(tool.name()), tool.name(), result);
    }

    private void force() throws Exception {
        Tool tool = synthesize(prompt);
        JsonNode args;
        try {
            args = arguments(tool, prompt, null);
        } catch (Mismatch e) {
            emit(ctx, "execution_skipped", data().put("reason",
                    "Tool created successfully but requires explicit arguments for execution"));
            respondWithout(tool);
            return;
        }
        String result = executeReported(tool, args);
        respond(List.of(tool.name()), tool.name(), result);
    }

    private void workflow(Planner.Plan plan) throws Exception {
        List<String> tasks = plan.subTasks();
        int total = tasks.size();
        emit(ctx, ToolsmithEvents.MULTI_TOOL_WORKFLOW, data().put("num_tasks", total)
                .put("requires_composition", Planner.COMPOSITION.equals(plan.strategy())));
        ObjectNode start = data().put("total_steps", total);
        ArrayNode list = start.putArray("tasks");
        tasks.forEach(list::add);
        emit(ctx, ToolsmithEvents.WORKFLOW_START, start);
        List<String> sequence = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < total; i++) {
            int step = i + 1;
            String task = tasks.get(i);
            ObjectNode stepData = data().put("step", step).put("total", total).put("task", task);
            ArrayNode deps = stepData.putArray("depends_on");
            if (step > 1) deps.add(step - 1);
            emit(ctx, ToolsmithEvents.WORKFLOW_STEP, stepData);
            String stepRequest = prompt + "\nThis step: " + task;
            Tool tool = null;
            JsonNode args = null;
            List<ToolSearch.Match> found = parts.search().search(task, config.searchThreshold());
            if (!found.isEmpty()) {
                ToolSearch.Match m = found.get(0);
                emit(ctx, ToolsmithEvents.WORKFLOW_STEP_TOOL_FOUND, data().put("tool_name", m.tool().name())
                        .put("similarity", round(m.similarity())).put("step", step));
                try {
                    args = arguments(m.tool(), stepRequest, previous);
                    tool = m.tool();
                } catch (Mismatch e) {
                    emit(ctx, ToolsmithEvents.TOOL_MISMATCH, data().put("tool_name", m.tool().name()).put("error", e.getMessage()));
                }
            }
            if (tool == null) {
                emit(ctx, ToolsmithEvents.WORKFLOW_STEP_NEEDS_SYNTHESIS, data().put("step", step).put("task", task));
                emit(ctx, ToolsmithEvents.WORKFLOW_STEP_SYNTHESIZING, data().put("step", step).put("task", task));
                tool = synthesize(task);
                args = argumentsOrFail(tool, stepRequest, previous);
            }
            ObjectNode exec = data().put("tool_name", tool.name()).put("step", step);
            exec.set("arguments", args);
            emit(ctx, ToolsmithEvents.WORKFLOW_STEP_EXECUTING, exec);
            sequence.add(tool.name());
            try {
                previous = execute(tool, args, step);
            } catch (ExecutionFailed e) {
                emit(ctx, ToolsmithEvents.WORKFLOW_STEP_FAILED, data().put("step", step).put("error", e.getMessage()));
                learn(sequence, false);
                throw new ToolFailure("Step " + step + " of the workflow failed: " + e.getMessage());
            }
            emit(ctx, ToolsmithEvents.WORKFLOW_STEP_COMPLETE, data().put("step", step).put("tool_name", tool.name())
                    .put("result", display(previous)));
        }
        ObjectNode done = data().put("total_steps", total);
        ArrayNode seq = done.putArray("tool_sequence");
        sequence.forEach(seq::add);
        done.put("results_count", total);
        emit(ctx, ToolsmithEvents.WORKFLOW_COMPLETE, done);
        learn(sequence, true);
        respond(sequence, sequence.get(sequence.size() - 1), previous);
    }

    private void composite(Planner.Plan plan) throws Exception {
        Tool composite = plan.composite().tool();
        ObjectNode using = data().put("tool_name", composite.name());
        ArrayNode components = using.putArray("component_tools");
        composite.components().forEach(components::add);
        using.put("similarity", round(plan.similarity()));
        emit(ctx, ToolsmithEvents.USING_COMPOSITE_TOOL, using);
        emit(ctx, ToolsmithEvents.EXECUTING, data().put("tool_name", composite.name()));
        long start = System.nanoTime();
        String result;
        try {
            result = sequence(composite.name(), composite.components());
        } catch (ExecutionFailed e) {
            parts.registry().recordExecution(request.sessionId(), request.runId(), composite.name(), 1, false,
                    (System.nanoTime() - start) / 1_000_000, prompt);
            emit(ctx, ToolsmithEvents.EXECUTION_FAILED, data().put("tool_name", composite.name()).put("error", e.getMessage()));
            throw new ToolFailure("The composite tool " + composite.name() + " failed: " + e.getMessage());
        }
        parts.registry().recordExecution(request.sessionId(), request.runId(), composite.name(), 1, true,
                (System.nanoTime() - start) / 1_000_000, prompt);
        emit(ctx, ToolsmithEvents.EXECUTION_COMPLETE, data().put("tool_name", composite.name()).put("result", display(result)));
        respond(composite.components(), composite.name(), result);
    }

    private void pattern(Planner.Plan plan) throws Exception {
        WorkflowPattern p = plan.pattern();
        ObjectNode using = data().put("pattern_name", p.name());
        ArrayNode seq = using.putArray("tool_sequence");
        p.sequence().forEach(seq::add);
        using.put("similarity", round(plan.similarity()));
        emit(ctx, ToolsmithEvents.USING_WORKFLOW_PATTERN, using);
        String result;
        try {
            result = sequence(p.name(), p.sequence());
        } catch (ExecutionFailed e) {
            emit(ctx, ToolsmithEvents.EXECUTION_FAILED, data().put("tool", p.name()).put("error", e.getMessage()));
            throw new ToolFailure("The workflow pattern " + p.name() + " failed: " + e.getMessage());
        }
        respond(p.sequence(), p.sequence().get(p.sequence().size() - 1), result);
    }

    /** Runs known tools in order, each step's arguments from the prompt and the previous result. */
    private String sequence(String name, List<String> tools) throws Exception {
        ObjectNode start = data().put("pattern_name", name);
        ArrayNode seq = start.putArray("tool_sequence");
        tools.forEach(seq::add);
        emit(ctx, ToolsmithEvents.PATTERN_EXECUTION_START, start);
        String previous = null;
        List<String> done = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            int step = i + 1;
            emit(ctx, ToolsmithEvents.PATTERN_STEP, data().put("step", step).put("total", tools.size()).put("tool_name", tools.get(i)));
            Optional<Tool> tool = parts.registry().get(tools.get(i));
            if (tool.isEmpty()) throw new ExecutionFailed("the tool " + tools.get(i) + " is no longer registered");
            JsonNode args;
            try {
                args = arguments(tool.get(), prompt, previous);
            } catch (Mismatch e) {
                if (!done.isEmpty()) learn(done, false);
                throw new ExecutionFailed("the arguments for " + tool.get().name() + " do not fit: " + e.getMessage());
            }
            done.add(tool.get().name());
            try {
                previous = execute(tool.get(), args, step);
            } catch (ExecutionFailed e) {
                learn(done, false);
                throw e;
            }
            emit(ctx, ToolsmithEvents.PATTERN_STEP_COMPLETE, data().put("step", step).put("tool_name", tool.get().name())
                    .put("result", display(previous)));
        }
        emit(ctx, ToolsmithEvents.PATTERN_EXECUTION_COMPLETE, data().put("pattern_name", name).put("steps_completed", tools.size()));
        learn(done, true);
        return previous;
    }

    // --- synthesis, arguments, execution ---

    private Tool synthesize(String task) throws Exception {
        Tool tool = ctx.within("synthesis", config.stepTimeout(), () -> parts.synthesizer().synthesize(task, ctx));
        synthesized = true;
        return tool;
    }

    private JsonNode argumentsOrFail(Tool tool, String text, String previous) throws Exception {
        try {
            return arguments(tool, text, previous);
        } catch (Mismatch e) {
            String error = "the arguments for " + tool.name() + " could not be taken from the request: " + e.getMessage();
            emit(ctx, ToolsmithEvents.EXECUTION_FAILED, data().put("tool_name", tool.name()).put("error", error));
            throw new ToolFailure(error);
        }
    }

    /** The model extracts the arguments; they are checked against the signature. */
    JsonNode arguments(Tool tool, String text, String previous) throws Exception {
        if (tool.params().isEmpty()) return JsonNodeFactory.instance.objectNode();
        String answer = parts.model().complete(ctx, "arguments", new ChatRequest(null).system(Prompts.arguments())
                .user(Prompts.argumentsFor(tool, text, previous)), piece -> { }).content();
        JsonNode args;
        try {
            args = Replies.object(answer);
        } catch (IllegalArgumentException e) {
            throw new Mismatch(e.getMessage());
        }
        return validate(tool, args);
    }

    static JsonNode validate(Tool tool, JsonNode args) throws Mismatch {
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (tool.params().stream().noneMatch(p -> p.name().equals(key))) throw new Mismatch("unknown argument " + key);
        }
        for (Tool.Param p : tool.params()) {
            JsonNode v = args.get(p.name());
            String type = p.type().toLowerCase(Locale.ROOT);
            boolean optional = type.contains("optional") || type.contains("none");
            if (v == null || v.isNull()) {
                if (optional) continue;
                throw new Mismatch("missing argument " + p.name());
            }
            boolean fits = switch (type.replace("optional[", "").replace("]", "").strip()) {
                case "int", "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
                case "float", "number", "double" -> v.isNumber();
                case "str", "string" -> v.isTextual();
                case "bool", "boolean" -> v.isBoolean();
                case "list", "array" -> v.isArray();
                case "dict", "object" -> v.isObject();
                default -> true;
            };
            if (!fits) throw new Mismatch("argument " + p.name() + " should be " + p.type() + ", was " + v);
        }
        return args;
    }

    /** Executes with the {@code executing} → {@code execution_complete | execution_failed} events. */
    private String executeReported(Tool tool, JsonNode args) throws Exception {
        try {
            String result = execute(tool, args, 1, true);
            emit(ctx, ToolsmithEvents.EXECUTION_COMPLETE, data().put("tool_name", tool.name()).put("result", display(result)));
            return result;
        } catch (ExecutionFailed e) {
            emit(ctx, ToolsmithEvents.EXECUTION_FAILED, data().put("tool_name", tool.name()).put("error", e.getMessage()));
            String cause = e.ran ? reflect(tool, args, e.getMessage()) : null;
            throw new ToolFailure("The tool " + tool.name() + " failed: " + e.getMessage()
                    + (cause == null ? "" : " (root cause: " + cause + ")"));
        }
    }

    /**
     * § B.6's reflection on a failed tool: the model states the root cause, stored in the registry's reflection log
     * and reported as {@code reflection_created {reflection_id, root_cause, tool_name}}. Returns the root cause, or
     * null when the model could not give one (the failure is then reported without it).
     */
    private String reflect(Tool tool, JsonNode args, String error) {
        try {
            String cause = parts.model().complete(ctx, "reflection", new ChatRequest(null).system(Prompts.reflector())
                    .user(Prompts.reflect(tool, args.toString(), error)), piece -> { }).content().strip();
            if (cause.isEmpty()) return null;
            long id = parts.registry().store().recordReflection(new ToolStore.Reflection(0, request.sessionId(),
                    request.runId(), tool.name(), error, cause, System.currentTimeMillis()));
            emit(ctx, ToolsmithEvents.REFLECTION_CREATED, data().put("reflection_id", id).put("root_cause", cause)
                    .put("tool_name", tool.name()));
            return cause;
        } catch (RunCancelledException c) {
            throw c;
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception x) {
            log.warn("no reflection on the failure of {}: {}", tool.name(), x.getMessage());
            return null;
        }
    }

    private String execute(Tool tool, JsonNode args, int order) throws Exception {
        return execute(tool, args, order, false);
    }

    /** § B.6's {@code max_retries = 2}: three attempts, 100 ms then 200 ms apart. */
    static final RetryPolicy EXECUTION_RETRY = new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 0.0);

    /** A tool that raised an exception: retried by {@link AgentContext#retry}, its last attempt kept. */
    private static final class RetryableExecution extends RetryableException {
        final transient PythonTools.Execution execution;

        RetryableExecution(PythonTools.Execution execution) {
            super(ErrorCode.TOOL_FAILED, execution.error());
            this.execution = execution;
        }
    }

    /** Runs a tool in the sandbox (or takes its cached result, retrying a tool that raised); records the execution. */
    private String execute(Tool tool, JsonNode args, int order, boolean announce) throws Exception {
        String hash = inputHash(tool, args);
        long notBefore = System.currentTimeMillis() - config.cacheTtl().toMillis();
        Optional<String> cached = parts.registry().cached(hash, notBefore);
        if (cached.isPresent()) {
            emit(ctx, ToolsmithEvents.CACHE_HIT, data().put("tool", tool.name()).put("tool_name", tool.name()));
            return cached.get();
        }
        if (announce) emit(ctx, ToolsmithEvents.EXECUTING, data().put("tool_name", tool.name()));
        if (!parts.python().sandbox().available()) throw new ExecutionFailed(parts.python().sandbox().describe());
        long start = System.nanoTime();
        PythonTools.Execution e;
        try { // § B.6: a tool that raised is tried again, twice; one killed at a limit is not
            e = ctx.retry("the tool " + tool.name(), EXECUTION_RETRY, () -> {
                PythonTools.Execution attempt = parts.python().execute(tool.name(), tool.code(), args, ctx);
                if (attempt.raised()) throw new RetryableExecution(attempt);
                return attempt;
            });
        } catch (RetryableExecution failed) {
            e = failed.execution;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        parts.registry().recordExecution(request.sessionId(), request.runId(), tool.name(), order, e.ok(), ms, prompt);
        if (!e.ok()) throw new ExecutionFailed(e.error(), true);
        String result = plain(e.result());
        parts.registry().cache(hash, tool.name(), result);
        return result;
    }

    // --- answer and learning ---

    private void respond(List<String> tools, String toolName, String result) throws Exception {
        emit(ctx, ToolsmithEvents.SYNTHESIZING_RESPONSE, data());
        ObjectNode meta = JsonNodeFactory.instance.objectNode().put("phase", "response");
        String answer = parts.model().complete(ctx, "response", new ChatRequest(null).system(Prompts.responder())
                .user(Prompts.respond(prompt, tools, result)), piece -> ctx.partialAnswer(piece, meta)).content();
        emit(ctx, ToolsmithEvents.COMPLETE, data().put("response", answer));
        ctx.emit("agent.final_answer", JsonNodeFactory.instance.objectNode().put("text", answer).put("success", true)
                .put("tool_name", toolName).put("synthesized", synthesized).put("tool_result", result), null);
        ctx.emit("pipeline.completed", null, JsonNodeFactory.instance.objectNode().put("status", "completed")
                .put("tool_name", toolName));
    }

    private void respondWithout(Tool tool) {
        String text = "The tool " + tool.name() + " was created (" + tool.signature() + "); give its arguments to run it.";
        emit(ctx, ToolsmithEvents.COMPLETE, data().put("response", text));
        ctx.emit("agent.final_answer", JsonNodeFactory.instance.objectNode().put("text", text).put("success", true)
                .put("tool_name", tool.name()).put("synthesized", synthesized).put("tool_result", ""), null);
    }

    private void learn(List<String> sequence, boolean success) {
        if (sequence.size() < 2) return;
        List<PatternMiner.Learned> learned = parts.miner().record(request.sessionId(), request.runId(), sequence, success,
                prompt, parts.search().embed(prompt));
        WorkflowPattern whole = learned.get(0).pattern();
        ObjectNode rec = data().put("pattern_name", whole.name());
        ArrayNode seq = rec.putArray("tool_sequence");
        sequence.forEach(seq::add);
        rec.put("success", success).put("frequency", whole.frequency())
                .put("success_rate", round(whole.successRate())).put("confidence", round(whole.confidence()));
        ArrayNode subs = rec.putArray("subsequence_patterns");
        for (PatternMiner.Learned l : learned.subList(1, learned.size())) {
            subs.addObject().put("pattern_name", l.pattern().name()).put("frequency", l.pattern().frequency())
                    .put("success_rate", round(l.pattern().successRate())).put("confidence", round(l.pattern().confidence()));
        }
        emit(ctx, ToolsmithEvents.WORKFLOW_RECORDED, rec);
        for (PatternMiner.Learned l : learned) {
            l.promoted().ifPresent(tool -> {
                ObjectNode promoted = data().put("pattern_name", l.pattern().name()).put("tool_name", tool.name())
                        .put("subsequence", l.subsequence());
                ArrayNode c = promoted.putArray("component_tools");
                tool.components().forEach(c::add);
                emit(ctx, ToolsmithEvents.PATTERN_PROMOTED, promoted);
            });
        }
    }

    // --- helpers ---

    private String display(String result) {
        return result.length() <= config.displayChars() ? result : result.substring(0, config.displayChars()) + "...";
    }

    /** A JSON string result as its text; anything else as JSON. */
    private static String plain(String json) {
        try {
            JsonNode node = CANONICAL.readTree(json);
            return node.isTextual() ? node.asText() : json;
        } catch (Exception e) {
            return json;
        }
    }

    private static String inputHash(Tool tool, JsonNode args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(tool.name().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(tool.code().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(args, Object.class)));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
