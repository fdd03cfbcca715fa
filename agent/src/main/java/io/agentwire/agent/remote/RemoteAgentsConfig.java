package io.agentwire.agent.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the remote agents' endpoint ({@code agentwire.agents.remote}). Immutable; validated on construction.
 *
 * @param enabled whether the endpoint is served
 * @param path the WebSocket path on the main HTTP port (default {@code /agents})
 * @param grace how long a remote agent's runs wait for it after its connection drops (default 30 s); beyond it
 *              they end with {@code agent.error REMOTE_AGENT_LOST}
 * @param cancelTimeout how long a cancelled run waits for the agent's {@code run.end} before it ends as
 *                      cancelled anyway (default 5 s)
 * @param heartbeatInterval how often the server sends {@code heartbeat} (default 15 s)
 * @param heartbeatTimeout silence after which the server closes an agent's connection (default 45 s), longer than
 *                         the interval
 */
public record RemoteAgentsConfig(boolean enabled, String path, Duration grace, Duration cancelTimeout,
                                 Duration heartbeatInterval, Duration heartbeatTimeout) {
    public static final RemoteAgentsConfig DEFAULT = new RemoteAgentsConfig(true, "/agents", Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(45));

    public RemoteAgentsConfig {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.contains("?")) throw new IllegalArgumentException("path must start with '/', was " + path);
        positive("grace", grace);
        positive("cancelTimeout", cancelTimeout);
        positive("heartbeatInterval", heartbeatInterval);
        positive("heartbeatTimeout", heartbeatTimeout);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeatTimeout (" + heartbeatTimeout
                    + ") must be longer than heartbeatInterval (" + heartbeatInterval + ")");
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
}
