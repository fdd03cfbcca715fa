package io.agentwire.server;

/**
 * The configuration can not be used: a value is malformed or out of range, a key is unknown, a required secret is
 * missing, or the file can not be read. The message is one line for an operator and names the key (and where its
 * value came from), e.g. {@code agentwire.envelope.heartbeat-interval: heartbeat interval must be > 0, was 0s
 * (app.conf: 4)}. It never contains a secret.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
