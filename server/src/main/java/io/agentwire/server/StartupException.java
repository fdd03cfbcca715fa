package io.agentwire.server;

/**
 * The server could not start for a reason an operator can fix (the port is taken, the data directory is in use
 * or unwritable). The message is one line and says what failed. Everything already opened has been closed.
 */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
