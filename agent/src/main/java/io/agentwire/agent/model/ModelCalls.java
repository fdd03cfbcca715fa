package io.agentwire.agent.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RetryableException;
import io.agentwire.agent.StepTimeoutException;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model calls as a run makes them: each {@link OpenAiChatClient#complete} attempt retried per
 * {@link ModelConfig#retry()} with every retry announced ({@code error.retry_attempt}), and a model that stays
 * silent through the last attempt reported as {@code error.timeout {metadata:{code:"TIMEOUT", step_id,
 * timeout_ms}}} before the failure is thrown. An attempt that fails after part of its answer was streamed is not
 * retried (a retry would stream the answer again).
 */
public final class ModelCalls {
    private static final Logger log = LoggerFactory.getLogger(ModelCalls.class);

    private final OpenAiChatClient client;

    public ModelCalls(OpenAiChatClient client) {
        this.client = client;
    }

    public ModelConfig config() {
        return client.config();
    }

    /** The client, for its counters. */
    public OpenAiChatClient client() {
        return client;
    }

    /**
     * Streams one completion, retrying transient failures.
     *
     * @param stepId the step this call belongs to (for {@code error.timeout}), or null
     * @param onContent each text piece, as it arrives
     */
    public ChatResponse complete(AgentContext ctx, String stepId, ChatRequest request, Consumer<String> onContent)
            throws Exception {
        try {
            return ctx.retry("the model", client.config().retry(), () -> attempt(ctx, request, onContent));
        } catch (StepTimeoutException e) {
            if (e.stepId() == null) timedOut(ctx, stepId, e.timeout());
            throw e;
        } catch (Streamed e) {
            if (e.timeout != null) timedOut(ctx, stepId, e.timeout);
            throw e;
        }
    }

    private ChatResponse attempt(AgentContext ctx, ChatRequest request, Consumer<String> onContent) {
        boolean[] streamed = {false};
        try {
            return client.complete(request, piece -> {
                streamed[0] = true;
                onContent.accept(piece);
            }, ctx);
        } catch (RetryableException e) {
            if (!streamed[0]) {
                log.info("model attempt failed run={} code={}: {}", ctx.runId(), e.code(), e.getMessage());
                throw e;
            }
            throw new Streamed(e);
        }
    }

    private static void timedOut(AgentContext ctx, String stepId, Duration timeout) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode().put("code", ErrorCode.TIMEOUT.name());
        if (stepId != null) meta.put("step_id", stepId);
        meta.put("timeout_ms", timeout.toMillis());
        ctx.emit("error.timeout", JsonNodeFactory.instance.objectNode().put("message",
                "The model did not answer within " + timeout.toMillis() + " ms"), meta);
    }

    /** A transient failure after part of the answer was streamed: final. */
    private static final class Streamed extends AgentWireException {
        final Duration timeout;

        Streamed(RetryableException e) {
            super(e.code(), e.getMessage() + " (after part of the answer was streamed)", e);
            this.timeout = e instanceof StepTimeoutException t ? t.timeout() : null;
        }
    }
}
