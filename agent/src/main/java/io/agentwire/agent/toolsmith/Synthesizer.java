package io.agentwire.agent.toolsmith;

import static io.agentwire.agent.toolsmith.ToolsmithEvents.data;
import static io.agentwire.agent.toolsmith.ToolsmithEvents.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.model.ChatRequest;
import io.agentwire.agent.model.ChatResponse;
import io.agentwire.agent.model.ModelCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a tool test-first (001-real-system.md § B.7): the model writes the specification (JSON), the pytest
 * tests, then the implementation; the tests run in the sandbox; on failure the model repairs the implementation
 * once; still failing, the tool is registered as experimental with a warning (unless the code does not even
 * parse: then synthesis fails). Every step is reported as {@code synthesis_step {step, status, …}}.
 */
final class Synthesizer {
    private static final Pattern TEST = Pattern.compile("(?m)^\\s*def\\s+test_");

    private final ModelCalls model;
    private final PythonTools python;
    private final ToolRegistry registry;
    private final ToolSearch search;

    Synthesizer(ModelCalls model, PythonTools python, ToolRegistry registry, ToolSearch search) {
        this.model = model;
        this.python = python;
        this.registry = registry;
        this.search = search;
    }

    /** Synthesizes, verifies and registers a tool for {@code task}; returns it. */
    Tool synthesize(String task, AgentContext ctx) throws Exception {
        emit(ctx, ToolsmithEvents.ENTERING_SYNTHESIS_MODE, data());
        // specification
        step(ctx, ToolsmithEvents.STEP_SPECIFICATION, "in_progress", null);
        ChatResponse specText = model.complete(ctx, "specification", new ChatRequest(null)
                .system(Prompts.specification()).user(task), piece -> { });
        Tool spec;
        JsonNode specJson;
        try {
            specJson = Replies.object(specText.content());
            spec = specOf(specJson);
        } catch (IllegalArgumentException e) {
            throw failed(ctx, ToolsmithEvents.STEP_SPECIFICATION, "the model's specification could not be read: " + e.getMessage());
        }
        ObjectNode specDone = data();
        specDone.set("spec", specJson);
        step(ctx, ToolsmithEvents.STEP_SPECIFICATION, "complete", specDone);
        String name = spec.name();
        String describe = "Task: " + task + "\nSpecification: " + specJson;
        // tests
        step(ctx, ToolsmithEvents.STEP_TESTS, "in_progress", null);
        String tests = Replies.code(model.complete(ctx, "tests", new ChatRequest(null).system(Prompts.tests(name))
                .user(describe), piece -> { }).content());
        int count = countTests(tests);
        if (count == 0) throw failed(ctx, ToolsmithEvents.STEP_TESTS, "the model wrote no pytest test function (def test_…)");
        step(ctx, ToolsmithEvents.STEP_TESTS, "complete", data().put("test_count", count));
        // implementation
        step(ctx, ToolsmithEvents.STEP_IMPLEMENTATION, "in_progress", null);
        ChatRequest impl = new ChatRequest(null).system(Prompts.implementation(name))
                .user(describe + "\nTests:\n```python\n" + tests + "```");
        ChatResponse codeAnswer = model.complete(ctx, "implementation", impl, piece -> { });
        String code = Replies.code(codeAnswer.content());
        step(ctx, ToolsmithEvents.STEP_IMPLEMENTATION, "complete", data().put("function_name", name));
        // verification (+ one repair)
        step(ctx, ToolsmithEvents.STEP_VERIFICATION, "in_progress", null);
        if (!python.sandbox().available()) throw failed(ctx, ToolsmithEvents.STEP_VERIFICATION, python.sandbox().describe());
        PythonTools.Verification v = python.verify(name, code, tests, ctx);
        if (!v.passed()) {
            step(ctx, ToolsmithEvents.STEP_VERIFICATION_RETRY, "in_progress",
                    data().put("message", "The tests failed; asking the model to repair the implementation once")
                            .put("output", PythonTools.last(v.output(), 1000)));
            impl.assistant(codeAnswer).user(Prompts.repair(v.output()));
            code = Replies.code(model.complete(ctx, "repair", impl, piece -> { }).content());
            v = python.verify(name, code, tests, ctx);
        }
        boolean experimental = !v.passed();
        if (experimental && (name + ".py").equals(v.syntaxError())) {
            step(ctx, ToolsmithEvents.STEP_VERIFICATION, "failed", data().put("error", v.output()));
            throw failed(ctx, ToolsmithEvents.STEP_IMPLEMENTATION, "the implementation does not parse: " + v.output());
        }
        if (experimental) {
            ObjectNode warn = data().put("error", PythonTools.last(v.output(), 1000));
            warn.putObject("data").put("tests_passed", false).put("experimental", true);
            step(ctx, ToolsmithEvents.STEP_VERIFICATION, "warning", warn);
        } else {
            ObjectNode ok = data();
            ok.putObject("data").put("tests_passed", true);
            step(ctx, ToolsmithEvents.STEP_VERIFICATION, "complete", ok);
        }
        // registration
        step(ctx, ToolsmithEvents.STEP_REGISTRATION, "in_progress", null);
        Tool tool = new Tool(name, spec.docstring(), spec.params(), spec.returnType(), code, tests, experimental, List.of(), 0, 0.5);
        registry.register(tool, search.embed(tool.searchText()));
        step(ctx, ToolsmithEvents.STEP_REGISTRATION, "complete", data().put("tool_name", name));
        emit(ctx, ToolsmithEvents.SYNTHESIS_SUCCESSFUL, data().put("tool_name", name).put("experimental", experimental));
        if (experimental) {
            emit(ctx, ToolsmithEvents.TOOL_EXPERIMENTAL_WARNING, data().put("tool_name", name).put("message",
                    "Note: '" + name + "' was registered as experimental (tests failed during verification)"));
        }
        return tool;
    }

    private static void step(AgentContext ctx, String step, String status, ObjectNode extra) {
        ObjectNode d = data().put("step", step).put("status", status);
        if (extra != null) d.setAll(extra);
        emit(ctx, ToolsmithEvents.SYNTHESIS_STEP, d);
    }

    /** Reports the failed step ({@code synthesis_step failed}, {@code synthesis_failed}); returns what to throw. */
    static ToolFailure failed(AgentContext ctx, String step, String error) {
        step(ctx, step, "failed", data().put("error", error));
        emit(ctx, ToolsmithEvents.SYNTHESIS_FAILED, data().put("step", step).put("error", error));
        return new ToolFailure("Synthesis failed at " + step + ": " + error);
    }

    static Tool specOf(JsonNode spec) {
        String name = spec.path("function_name").asText("").strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (name.isEmpty()) throw new IllegalArgumentException("no function_name");
        if (Character.isDigit(name.charAt(0))) name = "tool_" + name;
        if (name.length() > 64) name = name.substring(0, 64);
        if (!Tool.validName(name)) throw new IllegalArgumentException("function_name is not a Python identifier");
        List<Tool.Param> params = new ArrayList<>();
        for (JsonNode p : spec.path("parameters")) {
            String pn = p.path("name").asText("");
            if (!Tool.validName(pn.toLowerCase(Locale.ROOT)) && !pn.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("parameter name " + pn + " is not a Python identifier");
            }
            params.add(new Tool.Param(pn, p.path("type").asText(null), p.path("description").asText(null)));
        }
        return new Tool(name, spec.path("docstring").asText(""), params, spec.path("return_type").asText(null), "", "",
                false, List.of(), 0, 0.5);
    }

    private static int countTests(String tests) {
        Matcher m = TEST.matcher(tests);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
