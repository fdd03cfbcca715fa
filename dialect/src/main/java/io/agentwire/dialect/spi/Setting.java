package io.agentwire.dialect.spi;

/**
 * One configuration value as it was read: its key, its typed value, its text as the operator wrote it, and where
 * it came from ({@code app.conf: 4}, {@code environment variable AGENTWIRE_HTTP_PORT}, {@code command line}).
 * {@code raw} of a secret is a placeholder, never the secret.
 */
public record Setting(String key, Object value, String raw, String origin) { }
