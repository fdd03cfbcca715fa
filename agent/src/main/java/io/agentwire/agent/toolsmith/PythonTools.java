package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.agent.AgentContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs Python tools and their tests in the {@link Sandbox}, each in a fresh scratch directory that is deleted
 * afterwards: the tool's file is copied in with a small harness that calls the function with the arguments (JSON)
 * and prints its result as JSON after a marker line; verification parses both files, then runs pytest on the tests.
 */
final class PythonTools {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RESULT = "@@AGENTWIRE_RESULT@@";
    static final String ERROR = "@@AGENTWIRE_ERROR@@";
    static final String SYNTAX = "@@AGENTWIRE_SYNTAX@@";

    private static final String RUN = """
            import importlib.util, json, sys
            name = sys.argv[1]
            try:
                spec = importlib.util.spec_from_file_location(name, name + ".py")
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                with open("_aw_args.json") as f:
                    args = json.load(f)
                result = getattr(module, name)(**args)
                text = json.dumps(result, default=repr)
            except BaseException as e:
                sys.stdout.flush()
                sys.stdout.write("\\n%s%s\\n" % (sys.argv[3], json.dumps({"type": type(e).__name__, "message": str(e)})))
                sys.stdout.flush()
                sys.exit(3)
            sys.stdout.flush()
            sys.stdout.write("\\n%s%s\\n" % (sys.argv[2], text))
            sys.stdout.flush()
            """;

    private static final String VERIFY = """
            import ast, sys
            name = sys.argv[1]
            for f in (name + ".py", "test_" + name + ".py"):
                try:
                    with open(f) as src:
                        ast.parse(src.read(), f)
                except SyntaxError as e:
                    print("%s%s: %s" % (sys.argv[2], f, e))
                    sys.exit(3)
            import pytest
            sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "test_" + name + ".py"]))
            """;

    /**
     * A tool's execution: its result (JSON text) or its error; {@code raised} when the tool's function raised an
     * exception (not killed at a limit), the failures § B.6 retries.
     */
    record Execution(boolean ok, String result, String error, Sandbox.Result process, boolean raised) { }

    /** A verification: passed, or why not; {@code syntaxError} names the file that does not parse. */
    record Verification(boolean passed, String output, String syntaxError) { }

    private final Sandbox sandbox;
    private final String python;

    PythonTools(Sandbox sandbox, String python) {
        this.sandbox = sandbox;
        this.python = python;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    /** Calls the tool's function with {@code args} (a JSON object). */
    Execution execute(String name, String code, JsonNode args, AgentContext ctx) throws IOException {
        Path scratch = sandbox.newScratch();
        try {
            Files.writeString(scratch.resolve(name + ".py"), code);
            Files.writeString(scratch.resolve("_aw_run.py"), RUN);
            Files.writeString(scratch.resolve("_aw_args.json"), JSON.writeValueAsString(args));
            Sandbox.Result r = sandbox.run(scratch, List.of(python, "_aw_run.py", name, RESULT, ERROR), ctx);
            String out = r.output();
            int at = out.lastIndexOf(RESULT);
            if (r.ok() && at >= 0) return new Execution(true, out.substring(at + RESULT.length()).strip(), null, r, false);
            int err = out.lastIndexOf(ERROR);
            String error;
            boolean raised = false;
            if (r.problem(sandbox.limits()) != null && (r.timedOut() || r.outputExceeded() || err < 0)) {
                error = r.problem(sandbox.limits()) + tail(out);
            } else if (err >= 0) {
                JsonNode e = JSON.readTree(out.substring(err + ERROR.length()).strip());
                error = e.path("type").asText() + ": " + e.path("message").asText();
                raised = true;
            } else {
                error = "the tool printed no result" + tail(out);
            }
            return new Execution(false, null, error, r, raised);
        } finally {
            Sandbox.delete(scratch);
        }
    }

    /** Parses the code and the tests, then runs the tests with pytest. */
    Verification verify(String name, String code, String tests, AgentContext ctx) throws IOException {
        Path scratch = sandbox.newScratch();
        try {
            Files.writeString(scratch.resolve(name + ".py"), code);
            Files.writeString(scratch.resolve("test_" + name + ".py"), tests);
            Files.writeString(scratch.resolve("_aw_verify.py"), VERIFY);
            Sandbox.Result r = sandbox.run(scratch, List.of(python, "_aw_verify.py", name, SYNTAX), ctx);
            String out = r.output();
            int syntax = out.indexOf(SYNTAX);
            if (syntax >= 0) {
                String line = out.substring(syntax + SYNTAX.length()).strip();
                return new Verification(false, line, line.substring(0, Math.max(0, line.indexOf(':'))));
            }
            if (r.ok()) return new Verification(true, out, null);
            String problem = r.problem(sandbox.limits());
            return new Verification(false, (problem == null ? "" : problem + "\n") + last(out, 4000), null);
        } finally {
            Sandbox.delete(scratch);
        }
    }

    private static String tail(String out) {
        String t = last(out.replace(RESULT, "").strip(), 300);
        return t.isEmpty() ? "" : " (output: …" + t + ")";
    }

    static String last(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }
}
