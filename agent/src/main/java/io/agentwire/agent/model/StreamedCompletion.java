package io.agentwire.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Joins the chunks of one streamed chat completion: content pieces, and tool calls split over chunks by index. */
final class StreamedCompletion {
    private final StringBuilder content = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
    private String finishReason;

    private static final class Call {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    /** Adds one chunk; returns its content piece (or null). */
    String add(JsonNode chunk) {
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) return null; // e.g. a final usage-only chunk
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) finishReason = finish.asText();
        JsonNode delta = choice.path("delta");
        JsonNode toolCalls = delta.path("tool_calls");
        if (toolCalls.isArray()) {
            for (JsonNode tc : toolCalls) {
                int index = tc.path("index").asInt(calls.size());
                Call call = calls.computeIfAbsent(index, i -> new Call());
                if (tc.path("id").isTextual()) call.id = tc.path("id").asText();
                JsonNode fn = tc.path("function");
                if (fn.path("name").isTextual()) call.name = fn.path("name").asText();
                if (fn.path("arguments").isTextual()) call.arguments.append(fn.path("arguments").asText());
            }
        }
        JsonNode piece = delta.path("content");
        if (!piece.isTextual()) return null;
        content.append(piece.asText());
        return piece.asText();
    }

    boolean finished() {
        return finishReason != null;
    }

    ChatResponse response() {
        List<ToolCall> out = new ArrayList<>();
        calls.forEach((index, c) -> {
            if (c.name == null) throw new ModelException("the model's tool call " + index + " has no function name");
            out.add(new ToolCall(c.id == null ? "call_" + index : c.id, c.name, c.arguments.toString()));
        });
        return new ChatResponse(content.toString(), out, finishReason);
    }
}
