package io.agentwire.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the scripted {@link DemoAgent}. Immutable; validated on construction.
 *
 * @param stepDelay the pause after each event (default 250 ms, so that a person can watch the run stream);
 *                  zero or more
 * @param confirmPlan whether a planned run asks the user to approve the plan (default true); a run's client
 *                    metadata {@code "confirm": false} skips it for that run
 * @param confirmTimeout how long the plan confirmation waits before taking its default, {@code approve}
 *                       (default 60 s)
 */
public record DemoAgentConfig(Duration stepDelay, boolean confirmPlan, Duration confirmTimeout) {

    public DemoAgentConfig {
        Objects.requireNonNull(stepDelay, "stepDelay");
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        if (stepDelay.isNegative()) throw new IllegalArgumentException("stepDelay must be >= 0, was " + stepDelay);
        if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("confirmTimeout must be positive, was " + confirmTimeout);
        }
    }

    /** The defaults: 250 ms between events, plan confirmation on, 60 s to answer it. */
    public static DemoAgentConfig defaults() {
        return new DemoAgentConfig(Duration.ofMillis(250), true, Duration.ofSeconds(60));
    }
}
