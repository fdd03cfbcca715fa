package io.agentwire.dialect.spi;

/** A configuration value a dialect can not take; the message names the key and where the value came from. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
