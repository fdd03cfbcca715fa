package io.agentwire.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How the client waits between reconnect attempts: {@code initialDelay × multiplier^(attempt-1)}, capped at
 * {@code maxDelay}, spread by ± {@code jitter} (a fraction), at most {@code maxAttempts} attempts in a row.
 *
 * @param initialDelay the first delay
 * @param maxDelay     the largest delay
 * @param multiplier   growth per attempt (≥ 1)
 * @param jitter       random spread, 0 … 1
 * @param maxAttempts  attempts in a row before the client gives up ({@link Integer#MAX_VALUE}: never)
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter, int maxAttempts) {
    /** 500 ms, doubling, at most 30 s, ± 20 %, never giving up. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2, Integer.MAX_VALUE);

    public ReconnectPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        if (multiplier < 1) throw new IllegalArgumentException("multiplier must be >= 1");
        if (jitter < 0 || jitter > 1) throw new IllegalArgumentException("jitter must be within 0 … 1");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
    }

    /** The delay before attempt {@code attempt} (1, 2, …), with {@code random} in [0, 1). */
    public Duration delay(int attempt, DoubleSupplier random) {
        double base = Math.min(maxDelay.toMillis(), initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1)));
        double spread = base * jitter * (random.getAsDouble() * 2 - 1);
        return Duration.ofMillis(Math.max(0, Math.round(base + spread)));
    }
}
