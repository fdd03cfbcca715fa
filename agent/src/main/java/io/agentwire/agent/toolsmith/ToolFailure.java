package io.agentwire.agent.toolsmith;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;

/** A run of the toolsmith failed for a reason meant for clients (already reported by its toolsmith event). */
final class ToolFailure extends AgentWireException {
    ToolFailure(String message) {
        super(ErrorCode.TOOL_FAILED, message);
    }
}
