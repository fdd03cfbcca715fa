package io.agentwire.agent;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;

/**
 * A transient failure (an upstream hiccup: HTTP 429 or 5xx, a dropped connection, a timeout) that
 * {@link AgentContext#retry} retries with backoff. Its message is meant for clients.
 */
public class RetryableException extends AgentWireException {
    public RetryableException(ErrorCode code, String message) {
        super(code, message);
    }

    public RetryableException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
