package io.agentwire.dialect.tracking;

import io.agentwire.core.ErrorCode;
import java.util.Objects;

/**
 * A report from a backend (an agent status, a collaboration, log lines) that breaks a rule: which field, and
 * {@link ErrorCode#MISSING_FIELD} or {@link ErrorCode#INVALID_FIELD} (or {@link ErrorCode#INVALID_MESSAGE} when the
 * body is not a JSON object). The message is meant for the backend's developer.
 */
public final class InvalidReportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    public InvalidReportException(ErrorCode code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending field, e.g. {@code progress} or {@code logs[2].message}; null for the whole body. */
    public String field() {
        return field;
    }
}
