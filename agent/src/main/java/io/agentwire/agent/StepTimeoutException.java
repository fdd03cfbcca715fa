package io.agentwire.agent;

import io.agentwire.core.ErrorCode;
import java.time.Duration;

/**
 * A step did not finish within its time: thrown by {@link AgentContext#within} (after it emitted
 * {@code error.timeout}) and by calls that give up waiting for an upstream service. Retryable: a step that timed
 * out may succeed on a later attempt.
 */
public class StepTimeoutException extends RetryableException {
    private final String stepId;
    private final Duration timeout;

    public StepTimeoutException(String stepId, Duration timeout, String message) {
        super(ErrorCode.TIMEOUT, message);
        this.stepId = stepId;
        this.timeout = timeout;
    }

    /** The step that timed out, or null. */
    public String stepId() { return stepId; }

    public Duration timeout() { return timeout; }
}
