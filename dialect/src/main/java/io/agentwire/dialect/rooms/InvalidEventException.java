package io.agentwire.dialect.rooms;

import io.agentwire.core.ErrorCode;
import java.util.Objects;

/**
 * An event a backend published that breaks spec 004's rules: the field ({@code type}, {@code data.status} …) and
 * {@link ErrorCode#MISSING_FIELD}, {@link ErrorCode#INVALID_FIELD}, {@link ErrorCode#UNKNOWN_EVENT} (a type spec
 * 004 does not document) or {@link ErrorCode#INVALID_MESSAGE} (the body is not a JSON object). The message is meant
 * for the backend's developer.
 */
public final class InvalidEventException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    public InvalidEventException(ErrorCode code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    /** The offending field as a path from the body's root, e.g. {@code data.priority}; null for the whole body. */
    public String field() {
        return field;
    }

    static InvalidEventException missing(String field) {
        return new InvalidEventException(ErrorCode.MISSING_FIELD, field, "'" + field + "' is required");
    }

    static InvalidEventException invalid(String field, String message) {
        return new InvalidEventException(ErrorCode.INVALID_FIELD, field, message);
    }
}
