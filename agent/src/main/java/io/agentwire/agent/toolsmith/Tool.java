package io.agentwire.agent.toolsmith;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registered tool: a Python function with its tests, or a composite tool (a promoted workflow pattern) that
 * runs its {@link #components} in order.
 *
 * @param name the function's name (a Python identifier); the tool's id
 * @param docstring what it does (embedded for search)
 * @param params its parameters, in order
 * @param returnType the declared return type (free text)
 * @param code the implementation ({@code <name>.py}); empty for a composite tool
 * @param testCode the pytest tests ({@code test_<name>.py}); empty for a composite tool
 * @param experimental registered although its tests failed
 * @param components the tools a composite tool runs, in order; empty for a plain tool
 * @param usageCount executions so far
 * @param successRate the share of its last 50 executions that succeeded (0.5 before the first)
 */
public record Tool(String name, String docstring, List<Param> params, String returnType, String code, String testCode,
                   boolean experimental, List<String> components, long usageCount, double successRate) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

    /** One parameter: name, type (Python annotation text) and description. */
    public record Param(String name, String type, String description) {
        public Param {
            Objects.requireNonNull(name, "name");
            type = type == null || type.isBlank() ? "Any" : type;
            description = description == null ? "" : description;
        }
    }

    public Tool {
        if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("not a tool name: " + name);
        docstring = docstring == null ? "" : docstring;
        params = List.copyOf(params);
        returnType = returnType == null ? "Any" : returnType;
        code = code == null ? "" : code;
        testCode = testCode == null ? "" : testCode;
        components = List.copyOf(components);
    }

    /** Whether {@code name} can name a tool (and a Python function and module). */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public boolean composite() {
        return !components.isEmpty();
    }

    /** The text whose embedding finds the tool: its name in words and its docstring. */
    public String searchText() {
        return name.replace('_', ' ') + ": " + docstring;
    }

    /** {@code name(a: int, b: str) -> type}. */
    public String signature() {
        StringBuilder s = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) s.append(", ");
            s.append(params.get(i).name()).append(": ").append(params.get(i).type());
        }
        return s.append(") -> ").append(returnType).toString();
    }

    public Tool withStats(long usage, double success) {
        return new Tool(name, docstring, params, returnType, code, testCode, experimental, components, usage, success);
    }
}
