package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.AgentGateway.Reply;
import io.agentwire.core.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The confirmation steps waiting for a {@code user.response}, keyed by session and step id. A step is answered
 * at most once: whoever removes it from the map (the answer or the timeout) wins.
 */
final class PendingSteps {

    private record Key(String sessionId, String stepId) { }

    /** One pending step; {@link #answer} completes with the user's response content. */
    static final class Step {
        private final Key key;
        private final String runId;
        private final List<String> options;
        private final CompletableFuture<JsonNode> answer = new CompletableFuture<>();

        private Step(Key key, String runId, List<String> options) {
            this.key = key;
            this.runId = runId;
            this.options = options;
        }

        CompletableFuture<JsonNode> answer() {
            return answer;
        }
    }

    private final ConcurrentHashMap<Key, Step> steps = new ConcurrentHashMap<>();

    /** Registers a step; it must not be pending already in the session. */
    Step register(String sessionId, String stepId, String runId, List<String> options) {
        Step step = new Step(new Key(sessionId, stepId), runId, List.copyOf(options));
        if (steps.putIfAbsent(step.key, step) != null) {
            throw new IllegalStateException("step " + stepId + " is already pending in session " + sessionId);
        }
        return step;
    }

    /** Removes the step if it is still pending; true if this call removed it. */
    boolean remove(Step step) {
        return steps.remove(step.key, step);
    }

    /** Delivers a user's answer to the pending step, or says why it can not. */
    Reply answer(String sessionId, String stepId, JsonNode content) {
        if (stepId == null || stepId.isBlank()) return Reply.refused(ErrorCode.MISSING_FIELD, "step_id is required");
        Step step = steps.get(new Key(sessionId, stepId));
        if (step == null) return unknown(stepId);
        String invalid = validate(content, step.options);
        if (invalid != null) return Reply.refused(ErrorCode.INVALID_FIELD, invalid);
        if (!remove(step)) return unknown(stepId);
        step.answer.complete(content.deepCopy());
        return Reply.accepted(step.runId, 1);
    }

    private static Reply unknown(String stepId) {
        return Reply.refused(ErrorCode.UNKNOWN_STEP, "no pending step has step_id " + stepId);
    }

    /** Null if the content is a valid answer, else a message for the client. */
    static String validate(JsonNode content, List<String> options) {
        if (content == null || !content.isObject()) return "content must be an object with approved or value";
        JsonNode approved = content.get("approved");
        JsonNode value = content.get("value");
        boolean hasValue = value != null && !value.isNull();
        if (approved != null && !approved.isBoolean()) return "content.approved must be a boolean";
        if (approved == null && !hasValue) return "content needs approved (a boolean) or value";
        if (hasValue && !options.isEmpty() && !(value.isTextual() && options.contains(value.asText()))) {
            return "content.value must be one of " + options;
        }
        return null;
    }
}
