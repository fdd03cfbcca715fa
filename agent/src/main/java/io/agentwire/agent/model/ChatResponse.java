package io.agentwire.agent.model;

import java.util.List;

/**
 * What one streamed chat completion produced, once the stream ended.
 *
 * @param content the text, all {@code delta.content} pieces joined (empty if none)
 * @param toolCalls the function calls the model asked for, in order (empty if none)
 * @param finishReason {@code stop}, {@code tool_calls}, {@code length} … or null if the server sent none
 */
public record ChatResponse(String content, List<ToolCall> toolCalls, String finishReason) {
    public ChatResponse {
        content = content == null ? "" : content;
        toolCalls = List.copyOf(toolCalls);
    }
}
