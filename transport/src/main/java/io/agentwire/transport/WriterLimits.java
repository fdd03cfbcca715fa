package io.agentwire.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the per-connection send queue (rule 4 of DESIGN.md). A connection whose queue holds more than
 * {@code maxQueuedMessages} messages or {@code maxQueuedBytes} payload bytes is closed with
 * {@link io.agentwire.core.DisconnectReason#SLOW_CONSUMER}. {@code closeGrace} is how long a server-initiated
 * close waits for the close handshake (the close frame written and answered) before the socket is force-closed.
 */
public record WriterLimits(int maxQueuedMessages, long maxQueuedBytes, Duration closeGrace) {
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 10_000;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);
    public static final WriterLimits DEFAULTS =
            new WriterLimits(DEFAULT_MAX_QUEUED_MESSAGES, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_CLOSE_GRACE);

    public WriterLimits {
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be at least 1, was " + maxQueuedMessages);
        }
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1, was " + maxQueuedBytes);
        }
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (closeGrace.isNegative() || closeGrace.isZero()) {
            throw new IllegalArgumentException("closeGrace must be positive, was " + closeGrace);
        }
        if (closeGrace.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("closeGrace must be at most 10 minutes, was " + closeGrace);
        }
    }
}
