package io.agentwire.core;

import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link Node}.
 *
 * @param history the resume window (count and age) that every stream honours, whether the window is served by
 *     the broker's memory or, for durable streams, by the event log
 * @param recoveryBufferLimit live publications one subscription may buffer while its history is being read;
 *     beyond it the subscription ends with SLOW_CONSUMER
 * @param durablePrefixes streams whose names start with one of these are durable: the event log assigns their
 *     offsets and keeps them (by default the sessions, {@code session:})
 */
public record NodeConfig(HistoryConfig history, int recoveryBufferLimit, List<String> durablePrefixes) {
    public static final NodeConfig DEFAULT = new NodeConfig(HistoryConfig.DEFAULT, 100_000, List.of("session:"));

    public NodeConfig {
        Objects.requireNonNull(history, "history");
        if (recoveryBufferLimit < 1) throw new IllegalArgumentException("recoveryBufferLimit must be >= 1");
        durablePrefixes = List.copyOf(durablePrefixes);
    }

    public boolean durable(String stream) {
        for (String p : durablePrefixes) if (stream.startsWith(p)) return true;
        return false;
    }
}
