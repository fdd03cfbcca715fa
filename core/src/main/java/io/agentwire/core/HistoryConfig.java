package io.agentwire.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounded history window of every stream: the last {@code size} publications that are younger than
 * {@code ttl}. Resume within it is exact; beyond it, "not recovered".
 *
 * @param idleStreamTimeout how long a stream with an empty window and no publication is remembered
 */
public record HistoryConfig(int size, Duration ttl, Duration idleStreamTimeout) {
    public static final HistoryConfig DEFAULT = new HistoryConfig(10_000, Duration.ofSeconds(60), Duration.ofMinutes(10));

    public HistoryConfig {
        if (size < 1) throw new IllegalArgumentException("history size must be >= 1, was " + size);
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(idleStreamTimeout, "idleStreamTimeout");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("history ttl must be > 0, was " + ttl);
        if (idleStreamTimeout.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("idle stream timeout (" + idleStreamTimeout + ") must be >= history ttl (" + ttl + ")");
        }
    }
}
