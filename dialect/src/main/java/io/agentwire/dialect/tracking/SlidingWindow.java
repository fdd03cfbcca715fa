package io.agentwire.dialect.tracking;

import java.util.function.LongSupplier;

/**
 * Spec 002's rate limit: at most {@code limit} messages in any window of {@code windowNanos} (the document keeps the
 * timestamps of the last minute and refuses the 61st). A ring of the last {@code limit} accepted times. Not
 * thread-safe: one per connection, used on its event loop.
 */
final class SlidingWindow {
    private final long[] accepted;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private int count;
    private int oldest;

    SlidingWindow(int limit, long windowNanos, LongSupplier nanoClock) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1");
        this.accepted = new long[limit];
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
    }

    /** Accepts one message if fewer than {@code limit} were accepted within the window. */
    boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        if (count < accepted.length) {
            accepted[(oldest + count++) % accepted.length] = now;
            return true;
        }
        if (now - accepted[oldest] >= windowNanos) {
            accepted[oldest] = now;
            oldest = (oldest + 1) % accepted.length;
            return true;
        }
        return false;
    }

    /** Milliseconds until a message would be accepted (0 if one would be now). */
    long retryAfterMillis() {
        if (count < accepted.length) return 0;
        long wait = accepted[oldest] + windowNanos - nanoClock.getAsLong();
        return wait <= 0 ? 0 : Math.max(1, (wait + 999_999) / 1_000_000);
    }
}
