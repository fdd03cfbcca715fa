package io.agentwire.agent.model;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;

/**
 * The model refused the request for good (HTTP 4xx other than 408 and 429: a bad key, an unknown model, a
 * request too large) or answered something that is not the chat completions stream. Not retried; its message is
 * meant for clients and never holds the API key.
 */
public class ModelException extends AgentWireException {
    public ModelException(String message) {
        super(ErrorCode.MODEL_REJECTED, message);
    }
}
