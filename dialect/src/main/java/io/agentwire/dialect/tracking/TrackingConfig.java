package io.agentwire.dialect.tracking;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Settings of the {@code tracking} dialect (config section {@code agentwire.tracking}; docs/tracking.md).
 *
 * @param clientIdPattern the check a {@code client_id} must pass (a Java regular expression, matched against the
 *     whole id); default {@link #SAFE_CLIENT_ID_PATTERN} (any safe id: AgentCraft's components send
 *     {@code agent_chat_<ts>_<rand>}); spec 002's own, stricter check is {@link #DOCUMENTED_CLIENT_ID_PATTERN}. A
 *     failing id is closed 1008 "Invalid client ID"
 * @param pingInterval how often the server sends {@code {"type":"ping"}} (default 30 s, as spec 002)
 * @param pongTimeout silence after which a dashboard is closed 1001 "heartbeat timeout"; longer than the
 *     interval (default 60 s: spec 002 gives none)
 * @param rateLimitMessages messages a dashboard may send within {@code rateLimitWindow} (default 60)
 * @param rateLimitWindow the sliding window of the rate limit (default 60 s: "60 messages per minute")
 * @param maxPayloadBytes the largest client message; a larger frame closes the connection 1009 (default 64 KiB)
 * @param logLinesPerSession log lines kept per tracked session, the oldest dropped first (default 500)
 * @param sessionRetention how long a session with no active agent stays tracked after its last update
 *     (default 10 min)
 * @param maxSessions sessions tracked at once; beyond it the least recently updated idle one is forgotten
 *     (default 1000)
 * @param agentName the agent name shown for envelope runs whose events do not name their agent (the server's
 *     default agent, {@code agentwire.agents.default})
 */
public record TrackingConfig(String clientIdPattern, Duration pingInterval, Duration pongTimeout,
                             int rateLimitMessages, Duration rateLimitWindow, int maxPayloadBytes,
                             int logLinesPerSession, Duration sessionRetention, int maxSessions, String agentName) {

    /** Spec 002's client id check ("Format: client_timestamp_randomstring"). */
    public static final String DOCUMENTED_CLIENT_ID_PATTERN = "^client_\\d+_[a-z0-9]+$";
    /** Any safe id, the default: 1 to 128 ASCII letters, digits, {@code _ . : -}. */
    public static final String SAFE_CLIENT_ID_PATTERN = "^[A-Za-z0-9_.:-]{1,128}$";

    public static final TrackingConfig DEFAULT = new TrackingConfig(SAFE_CLIENT_ID_PATTERN,
            Duration.ofSeconds(30), Duration.ofSeconds(60), 60, Duration.ofSeconds(60), 64 * 1024, 500,
            Duration.ofMinutes(10), 1000, "demo");

    public TrackingConfig {
        Objects.requireNonNull(clientIdPattern, "clientIdPattern");
        try {
            Pattern.compile(clientIdPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("client id pattern is not a valid regular expression ("
                    + e.getDescription() + "), was " + clientIdPattern);
        }
        positive(pingInterval, "ping interval");
        positive(pongTimeout, "pong timeout");
        if (pongTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("pong timeout (" + pongTimeout + ") must be longer than the ping interval ("
                    + pingInterval + ")");
        }
        if (rateLimitMessages < 1) throw new IllegalArgumentException("rate limit must be >= 1 message, was " + rateLimitMessages);
        positive(rateLimitWindow, "rate limit window");
        if (maxPayloadBytes < 1024) throw new IllegalArgumentException("max payload must be >= 1024 bytes, was " + maxPayloadBytes);
        if (logLinesPerSession < 1 || logLinesPerSession > 100_000) {
            throw new IllegalArgumentException("log lines per session must be 1..100000, was " + logLinesPerSession);
        }
        positive(sessionRetention, "session retention");
        if (maxSessions < 1 || maxSessions > 100_000) {
            throw new IllegalArgumentException("max sessions must be 1..100000, was " + maxSessions);
        }
        Objects.requireNonNull(agentName, "agentName");
        if (agentName.isBlank()) throw new IllegalArgumentException("agent name must not be blank");
    }

    /** {@link #clientIdPattern()} compiled. */
    public Pattern clientIds() {
        return Pattern.compile(clientIdPattern);
    }

    /** This config with another client id check. */
    public TrackingConfig withClientIdPattern(String pattern) {
        return new TrackingConfig(pattern, pingInterval, pongTimeout, rateLimitMessages, rateLimitWindow,
                maxPayloadBytes, logLinesPerSession, sessionRetention, maxSessions, agentName);
    }

    /** This config with another ping interval and pong timeout. */
    public TrackingConfig withPing(Duration interval, Duration timeout) {
        return new TrackingConfig(clientIdPattern, interval, timeout, rateLimitMessages, rateLimitWindow,
                maxPayloadBytes, logLinesPerSession, sessionRetention, maxSessions, agentName);
    }

    /** This config with another rate limit: {@code messages} per sliding {@code window}. */
    public TrackingConfig withRateLimit(int messages, Duration window) {
        return new TrackingConfig(clientIdPattern, pingInterval, pongTimeout, messages, window, maxPayloadBytes,
                logLinesPerSession, sessionRetention, maxSessions, agentName);
    }

    /** This config with other bounds: session retention, tracked sessions, log lines per session. */
    public TrackingConfig withRetention(Duration retention, int sessions, int logLines) {
        return new TrackingConfig(clientIdPattern, pingInterval, pongTimeout, rateLimitMessages, rateLimitWindow,
                maxPayloadBytes, logLines, retention, sessions, agentName);
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be > 0, was " + d);
    }
}
