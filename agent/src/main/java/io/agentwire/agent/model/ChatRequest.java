package io.agentwire.agent.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One chat completion to ask for: the conversation so far and the tools the model may call, in the OpenAI wire
 * shapes ({@code messages}: {@code {role, content}} objects, {@code tool_calls} on assistant messages,
 * {@code tool_call_id} on tool messages; {@code tools}: {@code {type:"function", function:{name, description,
 * parameters}}}). Mutable builder; not thread-safe.
 */
public final class ChatRequest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ArrayNode messages = JSON.arrayNode();
    private final ArrayNode tools;

    /** @param tools the function tools offered to the model (may be empty); copied */
    public ChatRequest(ArrayNode tools) {
        this.tools = tools == null ? JSON.arrayNode() : tools.deepCopy();
    }

    public ChatRequest system(String text) {
        messages.addObject().put("role", "system").put("content", text);
        return this;
    }

    public ChatRequest user(String text) {
        messages.addObject().put("role", "user").put("content", text);
        return this;
    }

    /** Appends the model's answer: its text and the tool calls it asked for. */
    public ChatRequest assistant(ChatResponse response) {
        ObjectNode m = messages.addObject().put("role", "assistant");
        if (response.toolCalls().isEmpty()) {
            m.put("content", response.content());
        } else {
            if (response.content().isEmpty()) m.putNull("content");
            else m.put("content", response.content());
            ArrayNode calls = m.putArray("tool_calls");
            for (ToolCall c : response.toolCalls()) {
                ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        }
        return this;
    }

    /** Appends the answer to one tool call. */
    public ChatRequest toolResult(String callId, String content) {
        messages.addObject().put("role", "tool").put("tool_call_id", Objects.requireNonNull(callId)).put("content", content);
        return this;
    }

    /** The request body: {@code {model, messages, stream:true, tools?}}. */
    ObjectNode body(String model) {
        ObjectNode body = JSON.objectNode().put("model", model);
        body.set("messages", messages.deepCopy());
        body.put("stream", true);
        if (!tools.isEmpty()) body.set("tools", tools.deepCopy());
        return body;
    }

    public int size() {
        return messages.size();
    }
}
