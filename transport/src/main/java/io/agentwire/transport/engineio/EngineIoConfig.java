package io.agentwire.transport.engineio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one Engine.IO v4 server. Immutable and validated.
 *
 * @param path the request path, e.g. {@code /socket.io/} (with its trailing slash, as clients send it)
 * @param pingInterval how often the server pings; the client must answer each ping within {@code pingTimeout}
 * @param pingTimeout how long the server waits for a pong before closing the session ("ping timeout")
 * @param maxPayload the largest message (WebSocket) or request body (long-polling) in bytes; larger closes the
 *     session (413 for long-polling); announced to clients, which split their polling payloads by it
 * @param upgradeTimeout how long an upgrade from polling to WebSocket may take before the probe is dropped
 * @param transports the allowed transports, {@code polling} and/or {@code websocket}
 * @param maxBufferedPackets packets a session may hold for a long-polling client that does not poll; beyond it the
 *     session closes ("transport error"), so a slow client never grows memory without bound
 * @param cors cross-origin settings for long-polling
 * @param maxPendingSessions sessions that may wait at once for the layer above to accept them (for Socket.IO: a
 *     namespace CONNECT accepted by its middleware); one more closes the oldest waiting one, so an unauthenticated
 *     flood holds at most this many sessions (docs/limits.md)
 * @param maxPendingSessionsPerAddress pending sessions of one client address; beyond it that address's handshakes are
 *     refused (503), so one flooding address can not take the slots of everybody else
 */
public record EngineIoConfig(String path, Duration pingInterval, Duration pingTimeout, int maxPayload,
                             Duration upgradeTimeout, List<String> transports, int maxBufferedPackets,
                             EngineIoCors cors, int maxPendingSessions,
                             int maxPendingSessionsPerAddress) {
    public static final int DEFAULT_MAX_PENDING_SESSIONS = 2_000;
    public static final int DEFAULT_MAX_PENDING_SESSIONS_PER_ADDRESS = 500;
    public static final String POLLING = "polling";
    public static final String WEBSOCKET = "websocket";

    /** socket.io's defaults: {@code /socket.io/}, ping every 25 s with 20 s to answer, 1 MB payloads. */
    public static final EngineIoConfig DEFAULTS = new EngineIoConfig("/socket.io/", Duration.ofSeconds(25),
            Duration.ofSeconds(20), 1_000_000, Duration.ofSeconds(10), List.of(POLLING, WEBSOCKET), 10_000,
            EngineIoCors.NONE, DEFAULT_MAX_PENDING_SESSIONS,
            DEFAULT_MAX_PENDING_SESSIONS_PER_ADDRESS);

    public EngineIoConfig {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.indexOf('?') >= 0) throw new IllegalArgumentException("invalid path " + path);
        positive(pingInterval, "pingInterval");
        positive(pingTimeout, "pingTimeout");
        positive(upgradeTimeout, "upgradeTimeout");
        if (maxPayload < 64) throw new IllegalArgumentException("maxPayload must be at least 64 bytes, was " + maxPayload);
        transports = List.copyOf(transports);
        if (transports.isEmpty()) throw new IllegalArgumentException("at least one transport is needed");
        for (String t : transports) {
            if (!POLLING.equals(t) && !WEBSOCKET.equals(t)) throw new IllegalArgumentException("unknown transport " + t);
        }
        if (maxBufferedPackets < 1) throw new IllegalArgumentException("maxBufferedPackets must be >= 1");
        Objects.requireNonNull(cors, "cors");
        if (maxPendingSessions < 1) throw new IllegalArgumentException("maxPendingSessions must be >= 1");
        if (maxPendingSessionsPerAddress < 1) throw new IllegalArgumentException("maxPendingSessionsPerAddress must be >= 1");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + d);
    }

    public EngineIoConfig withPath(String p) {
        return new EngineIoConfig(p, pingInterval, pingTimeout, maxPayload, upgradeTimeout, transports, maxBufferedPackets, cors, maxPendingSessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withHeartbeat(Duration interval, Duration timeout) {
        return new EngineIoConfig(path, interval, timeout, maxPayload, upgradeTimeout, transports, maxBufferedPackets, cors, maxPendingSessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withMaxPayload(int bytes) {
        return new EngineIoConfig(path, pingInterval, pingTimeout, bytes, upgradeTimeout, transports, maxBufferedPackets, cors, maxPendingSessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withTransports(List<String> allowed) {
        return new EngineIoConfig(path, pingInterval, pingTimeout, maxPayload, upgradeTimeout, allowed, maxBufferedPackets, cors, maxPendingSessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withCors(EngineIoCors c) {
        return new EngineIoConfig(path, pingInterval, pingTimeout, maxPayload, upgradeTimeout, transports, maxBufferedPackets, c, maxPendingSessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withMaxBufferedPackets(int packets) {
        return new EngineIoConfig(path, pingInterval, pingTimeout, maxPayload, upgradeTimeout, transports, packets, cors, maxPendingSessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withMaxPendingSessions(int sessions) {
        return new EngineIoConfig(path, pingInterval, pingTimeout, maxPayload, upgradeTimeout, transports, maxBufferedPackets, cors, sessions, maxPendingSessionsPerAddress);
    }

    public EngineIoConfig withMaxPendingSessionsPerAddress(int sessions) {
        return new EngineIoConfig(path, pingInterval, pingTimeout, maxPayload, upgradeTimeout, transports, maxBufferedPackets, cors, maxPendingSessions, sessions);
    }

    boolean allows(String transport) {
        return transports.contains(transport);
    }
}
