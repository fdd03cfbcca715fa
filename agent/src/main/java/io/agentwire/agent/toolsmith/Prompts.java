package io.agentwire.agent.toolsmith;

import java.util.List;

/** The instructions the toolsmith gives the model, per step. Each system message names its role first. */
final class Prompts {
    private Prompts() { }

    static String planner() {
        return "You are the toolsmith's planner. Decide how to serve the user's request with Python tools. Answer with "
                + "JSON only: {\"strategy\": \"single_tool\" | \"multi_tool_sequential\" | \"multi_tool_composition\", "
                + "\"reasoning\": \"...\", \"sub_tasks\": [\"...\"]}. Use single_tool when one function can do it; "
                + "otherwise list the steps in order, each one function whose input may be the previous step's result.";
    }

    static String specification() {
        return "You are the toolsmith's specification writer. Specify ONE Python function that does the task. Answer "
                + "with JSON only: {\"function_name\": \"snake_case_name\", \"parameters\": [{\"name\": \"...\", "
                + "\"type\": \"int|float|str|bool|list|dict\", \"description\": \"...\"}], \"return_type\": \"...\", "
                + "\"docstring\": \"what it does\"}. Only the standard library is available; no network, no files "
                + "outside the working directory.";
    }

    static String tests(String name) {
        return "You are the toolsmith's test writer. Write pytest tests for the specified function. The function is "
                + "imported with `from " + name + " import " + name + "`. Answer with the Python code in one ```python "
                + "block.";
    }

    static String implementation(String name) {
        return "You are the toolsmith's implementer. Implement the specified function `" + name + "` in Python (standard "
                + "library only) so that the tests pass. Answer with the module's code in one ```python block.";
    }

    static String repair(String output) {
        return "The tests failed:\n" + PythonTools.last(output, 3000)
                + "\nFix the implementation. Answer with the whole corrected module in one ```python block.";
    }

    static String arguments() {
        return "You are the toolsmith's argument extractor. Give the arguments for the function below from the "
                + "user's request (and the previous step's result, if there is one). Answer with a JSON object of the "
                + "arguments only, using exactly the parameter names; use null for a value the request does not give.";
    }

    static String argumentsFor(Tool tool, String request, String previous) {
        return "Function: " + tool.signature() + "\nDocstring: " + tool.docstring() + "\nRequest: " + request
                + (previous == null ? "" : "\nPrevious step's result: " + previous);
    }

    static String responder() {
        return "You are the toolsmith's responder. Answer the user's request in plain language from the tool's "
                + "result. Be concise.";
    }

    static String respond(String request, List<String> tools, String result) {
        return "Request: " + request + "\nTool(s): " + String.join(", ", tools) + "\nResult: "
                + (result.length() > 8000 ? result.substring(0, 8000) + "…" : result);
    }

    static String reflector() {
        return "You are the toolsmith's reflection engine. A tool failed; state its root cause in one or two "
                + "sentences: what in the code or its input made it fail, and what would fix it.";
    }

    static String reflect(Tool tool, String args, String error) {
        return "Tool: " + tool.signature() + "\nArguments: " + args + "\nError: " + error + "\nCode:\n"
                + (tool.code().length() > 8000 ? tool.code().substring(0, 8000) + "…" : tool.code());
    }
}
