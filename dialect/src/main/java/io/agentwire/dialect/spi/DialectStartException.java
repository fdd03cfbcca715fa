package io.agentwire.dialect.spi;

/** A dialect can not start for a reason the operator must fix: the server stops with its message (exit code 2). */
public class DialectStartException extends RuntimeException {
    public DialectStartException(String message) {
        super(message);
    }

    public DialectStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
