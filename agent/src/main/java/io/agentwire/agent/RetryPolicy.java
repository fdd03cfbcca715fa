package io.agentwire.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How {@link AgentContext#retry} retries a transient failure: exponential backoff with jitter, as
 * {@code specs/envelope.md} sets it (initial 1000 ms, multiplier 2.0, cap 60 000 ms, jitter ±10 %, 5 attempts).
 * Immutable; validated on construction.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 * @param initialDelay the delay before the second attempt
 * @param multiplier how much each further delay grows (at least 1)
 * @param maxDelay the cap of a delay (before jitter)
 * @param jitter the random spread of a delay, 0 to 1 (0.1 = ±10 %)
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {

    /** The envelope protocol's backoff: 5 attempts, 1 s, ×2, cap 60 s, ±10 %. */
    public static final RetryPolicy ENVELOPE = new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 0.1);

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        if (initialDelay.isNegative()) throw new IllegalArgumentException("initialDelay must be >= 0, was " + initialDelay);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be >= initialDelay, was " + maxDelay);
        }
        if (!(multiplier >= 1.0)) throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
        if (!(jitter >= 0.0 && jitter <= 1.0)) throw new IllegalArgumentException("jitter must be in 0..1, was " + jitter);
    }

    /** The envelope backoff with another number of attempts and initial delay. */
    public static RetryPolicy of(int maxAttempts, Duration initialDelay) {
        Duration cap = ENVELOPE.maxDelay.compareTo(initialDelay) < 0 ? initialDelay : ENVELOPE.maxDelay;
        return new RetryPolicy(maxAttempts, initialDelay, ENVELOPE.multiplier, cap, ENVELOPE.jitter);
    }

    /**
     * The delay after the failed attempt number {@code attempt} (1-based): {@code initialDelay × multiplier^(attempt-1)},
     * capped at {@code maxDelay}, then spread by ±{@code jitter}.
     */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        double base = initialDelay.toMillis() * Math.pow(multiplier, attempt - 1);
        double capped = Math.min(base, maxDelay.toMillis());
        double spread = jitter == 0 ? 0 : (random.nextDouble() * 2 - 1) * jitter;
        return Duration.ofMillis(Math.max(0, Math.round(capped * (1 + spread))));
    }
}
