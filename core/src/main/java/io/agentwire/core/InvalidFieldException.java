package io.agentwire.core;

import java.util.Objects;

/**
 * Input from a client or a backend that breaks a dialect's rules: which field (a path from the input's root, e.g.
 * {@code progress}, {@code logs[2].message} or {@code data.status}; null for the whole input) and the code:
 * {@link ErrorCode#MISSING_FIELD}, {@link ErrorCode#INVALID_FIELD}, {@link ErrorCode#INVALID_MESSAGE} (not a JSON
 * object) or another validation code. The message is meant for the sender's developer. The HTTP API answers it with
 * a 400 naming the field.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    public InvalidFieldException(ErrorCode code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public static InvalidFieldException missing(String field) {
        return new InvalidFieldException(ErrorCode.MISSING_FIELD, field, "'" + field + "' is required");
    }

    public static InvalidFieldException invalid(String field, String message) {
        return new InvalidFieldException(ErrorCode.INVALID_FIELD, field, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending field as a path from the input's root; null for the whole input. */
    public String field() {
        return field;
    }
}
