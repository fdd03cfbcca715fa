package io.agentwire.dialect.mesh;

import io.agentwire.dialect.spi.Listener;
import io.agentwire.transport.socketio.SocketIoConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The mesh dialect's settings ({@code agentwire.mesh}, documented in its reference.conf).
 *
 * @param address where the Socket.IO server listens (spec 003: port 3001)
 * @param socketIo path, payload limit, heartbeat, CORS and recovery
 * @param domainKey layer 1 of the authentication; empty: every connection is refused
 * @param autoCreateChannels users may name channels that do not exist yet
 * @param keyTtl the lifetime of an agent key made without {@code expiresAt}
 * @param limits per-agent rate limits per category and minute
 * @param maxTasksPerAgent the workload strategy's cap
 * @param mxpKey the MXP encryption secret; empty: MXP passes through
 * @param mxpSalt the MXP key derivation salt
 * @param loopOwnerGrace how long a control loop waits paused for its owner to come back (zero: it stops at once)
 * @param reassignAfterDrop how long the tasks of an agent whose connection dropped wait for it to come back
 */
public record MeshSettings(Listener.Address address, SocketIoConfig socketIo, Optional<String> domainKey,
                           boolean autoCreateChannels, Duration keyTtl, Limits limits, int maxTasksPerAgent,
                           Optional<String> mxpKey, String mxpSalt, Duration loopOwnerGrace,
                           Duration reassignAfterDrop) {

    /** Calls per agent and sliding minute, per category. */
    public record Limits(int messages, int toolExecutions, int memory, int controlLoopCycles) { }

    public MeshSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(socketIo, "socketIo");
        Objects.requireNonNull(domainKey, "domainKey");
        Objects.requireNonNull(keyTtl, "keyTtl");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(mxpKey, "mxpKey");
        Objects.requireNonNull(mxpSalt, "mxpSalt");
        Objects.requireNonNull(reassignAfterDrop, "reassignAfterDrop");
        if (loopOwnerGrace.isNegative()) throw new IllegalArgumentException("loopOwnerGrace must not be negative");
    }

    /** The same settings on another port (tests). */
    public MeshSettings withPort(int port) {
        return new MeshSettings(new Listener.Address(address.host(), port), socketIo, domainKey, autoCreateChannels,
                keyTtl, limits, maxTasksPerAgent, mxpKey, mxpSalt, loopOwnerGrace, reassignAfterDrop);
    }
}
