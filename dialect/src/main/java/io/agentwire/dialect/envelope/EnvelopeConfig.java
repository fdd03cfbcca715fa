package io.agentwire.dialect.envelope;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the envelope dialect (config section {@code agentwire.envelope}).
 *
 * @param path the WebSocket path (default {@code /ws})
 * @param heartbeatInterval how often the server sends {@code system.heartbeat} (default 30 s)
 * @param heartbeatTimeout silence after which a connection is closed 1001 "heartbeat timeout" (default 60 s)
 * @param maxPayloadBytes the largest client message; larger frames are closed with 1009 (default 1 MiB)
 * @param ratePerSecond messages per second a connection may send, sustained (default 50)
 * @param rateBurst messages a connection may send at once (default 100)
 * @param defaultAgent the agent that runs {@code user.message} when the client names none (default {@code demo})
 * @param replaysPerPrincipal resumes (replays, snapshots, exports) one principal may have reading history at once;
 *     more wait their turn (default 2)
 */
public record EnvelopeConfig(String path, Duration heartbeatInterval, Duration heartbeatTimeout, int maxPayloadBytes,
                             double ratePerSecond, int rateBurst, String defaultAgent, int replaysPerPrincipal) {

    public static final EnvelopeConfig DEFAULT = new EnvelopeConfig("/ws", Duration.ofSeconds(30), Duration.ofSeconds(60),
            1 << 20, 50, 100, "demo", 2);

    public EnvelopeConfig(String path, Duration heartbeatInterval, Duration heartbeatTimeout, int maxPayloadBytes,
                          double ratePerSecond, int rateBurst, String defaultAgent) {
        this(path, heartbeatInterval, heartbeatTimeout, maxPayloadBytes, ratePerSecond, rateBurst, defaultAgent, 2);
    }

    public EnvelopeConfig {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) throw new IllegalArgumentException("envelope path must start with '/', was " + path);
        positive(heartbeatInterval, "heartbeat interval");
        positive(heartbeatTimeout, "heartbeat timeout");
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeat timeout (" + heartbeatTimeout + ") must be longer than the interval (" + heartbeatInterval + ")");
        }
        if (maxPayloadBytes < 1024) throw new IllegalArgumentException("max payload must be >= 1024 bytes, was " + maxPayloadBytes);
        if (!(ratePerSecond > 0)) throw new IllegalArgumentException("rate limit must be > 0 messages/s, was " + ratePerSecond);
        if (rateBurst < 1) throw new IllegalArgumentException("rate burst must be >= 1, was " + rateBurst);
        Objects.requireNonNull(defaultAgent, "defaultAgent");
        if (replaysPerPrincipal < 1 || replaysPerPrincipal > 1000) {
            throw new IllegalArgumentException("replays per principal must be 1..1000, was " + replaysPerPrincipal);
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be > 0, was " + d);
    }
}
