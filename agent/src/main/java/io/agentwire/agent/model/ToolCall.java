package io.agentwire.agent.model;

import java.util.Objects;

/**
 * A function call the model asked for ({@code choices[0].delta.tool_calls} of the stream, joined).
 *
 * @param id the call's id, to answer with a {@code tool} message
 * @param name the function's name
 * @param arguments the arguments as the model wrote them: JSON text, possibly malformed
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
