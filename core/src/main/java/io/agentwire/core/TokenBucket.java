package io.agentwire.core;

import java.util.function.LongSupplier;

/**
 * A token bucket for per-connection rate limits: {@code ratePerSecond} tokens refill continuously up to
 * {@code burst}. Not thread-safe: one bucket belongs to one connection and is used from its event loop.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoClock) {
        if (ratePerSecond <= 0) throw new IllegalArgumentException("ratePerSecond must be > 0");
        if (burst < 1) throw new IllegalArgumentException("burst must be >= 1");
        this.ratePerNano = ratePerSecond / 1_000_000_000.0;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token if there is one. */
    public boolean tryAcquire() {
        refill();
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Milliseconds until the next token is available (0 if one is). */
    public long retryAfterMillis() {
        refill();
        if (tokens >= 1.0) return 0;
        double missingNanos = (1.0 - tokens) / ratePerNano;
        return Math.max(1, (long) Math.ceil(missingNanos / 1_000_000.0));
    }

    /** Whether the bucket has refilled to its burst (its user went quiet). */
    public boolean full() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            last = now;
        }
    }
}
