package io.agentwire.agent.mcp;

import io.agentwire.core.ErrorCode;

/**
 * What a tool call gave back: its text (what the model reads next) and whether it failed. A failure is never an
 * exception: the tool reported an error ({@code isError}), threw, timed out, its server is gone, or the model
 * named an unknown tool or wrote arguments that are not JSON.
 *
 * @param text the result, or a description of the failure
 * @param isError whether the call failed
 * @param code null when it succeeded; {@code TOOL_FAILED} or {@code TIMEOUT} when it failed
 */
public record ToolOutcome(String text, boolean isError, ErrorCode code) {
    public static ToolOutcome ok(String text) {
        return new ToolOutcome(text, false, null);
    }

    public static ToolOutcome failed(String text) {
        return new ToolOutcome(text, true, ErrorCode.TOOL_FAILED);
    }

    public static ToolOutcome timedOut(String text) {
        return new ToolOutcome(text, true, ErrorCode.TIMEOUT);
    }
}
