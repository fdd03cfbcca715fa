package io.agentwire.core;

/** A failure with a stable {@link ErrorCode}, meant to reach the client in its dialect's shape. */
public class AgentWireException extends RuntimeException {
    private final ErrorCode code;

    public AgentWireException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public AgentWireException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() { return code; }

    /** The code of {@code error} or of the AgentWireException it wraps (completion, execution), or null. */
    public static ErrorCode codeOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AgentWireException e) return e.code;
        }
        return null;
    }
}
