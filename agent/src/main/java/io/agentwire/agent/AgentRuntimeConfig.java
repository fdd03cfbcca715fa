package io.agentwire.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link AgentRuntime}. Immutable; validated on construction.
 *
 * @param maxRunsPerSession how many runs a session may have in progress at once (default 4); one more is
 *                          refused with {@code RUN_IN_PROGRESS}
 * @param publishTimeout how long an agent waits for one of its events to be published before the run ends as
 *                       unable to publish (default 30 s)
 */
public record AgentRuntimeConfig(int maxRunsPerSession, Duration publishTimeout) {

    public AgentRuntimeConfig {
        if (maxRunsPerSession < 1) {
            throw new IllegalArgumentException("maxRunsPerSession must be >= 1, was " + maxRunsPerSession);
        }
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive, was " + publishTimeout);
        }
    }

    /** The defaults: 4 runs per session, 30 s publish timeout. */
    public static AgentRuntimeConfig defaults() {
        return new AgentRuntimeConfig(4, Duration.ofSeconds(30));
    }

    /** A copy with another {@code maxRunsPerSession}. */
    public AgentRuntimeConfig withMaxRunsPerSession(int max) {
        return new AgentRuntimeConfig(max, publishTimeout);
    }

    /** A copy with another {@code publishTimeout}. */
    public AgentRuntimeConfig withPublishTimeout(Duration timeout) {
        return new AgentRuntimeConfig(maxRunsPerSession, timeout);
    }
}
