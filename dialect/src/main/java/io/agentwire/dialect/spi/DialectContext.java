package io.agentwire.dialect.spi;

import io.agentwire.core.AgentGateway;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Meters;
import io.agentwire.core.Node;
import io.agentwire.core.Presence;
import io.agentwire.core.Principal;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.Sessions;
import io.agentwire.core.WireMeters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server hands every dialect it creates: the core it maps its wire onto and the server's shared parts.
 *
 * @param node streams: publish, subscribe, resume
 * @param sessions the envelope sessions (shared by every dialect that runs agents on sessions)
 * @param agents where runs are started, answered and cancelled
 * @param defaultAgent the agent a run naming none gets ({@code agentwire.agents.default})
 * @param presence connection and room counts, this node's or the cluster's
 * @param recoveryRecords Socket.IO recovery records shared by the cluster (empty on one node: kept in memory)
 * @param jwt the server's JWT check of an HTTP upgrade (HS256 secret or JWKS, issuer, audience; the token from
 *     {@code Authorization: Bearer} or {@code ?token=}); in dev mode no token is the anonymous principal
 * @param tokens the same check for a token presented otherwise (Socket.IO's {@code auth.token})
 * @param apiKeys the HTTP API's key check
 * @param clock the clock to read time from (tests inject their own)
 * @param dev development mode
 * @param cluster whether the server runs in cluster mode (several nodes on Redis)
 * @param dataDir the data directory (files a dialect keeps on one node live under {@code dataDir/<name>})
 * @param services further server parts by type (e.g. a model client port), for dialects that need them
 */
public record DialectContext(Node node, Sessions sessions, AgentGateway agents, String defaultAgent,
                             Presence presence, Optional<RecoveryRecords> recoveryRecords, Authenticator jwt,
                             TokenVerifier tokens, ApiKeyGuard apiKeys, Clock clock, boolean dev, boolean cluster,
                             Path dataDir, Map<Class<?>, Object> services) {

    /** Accepts every client as the anonymous principal (protocols without credentials). */
    public static final Authenticator ANYONE = request -> new Authenticator.Accepted(Principal.ANONYMOUS);

    public DialectContext {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(defaultAgent, "defaultAgent");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(recoveryRecords, "recoveryRecords");
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(dataDir, "dataDir");
        services = Map.copyOf(services);
    }

    /** A server part by type, when the server provides one. */
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    /**
     * Where the dialect {@code dialect} counts its wire traffic (messages in and out, deliveries and their latency,
     * resumes, rate limits, slow consumers, errors by code), tagged {@code dialect=<name>}: the server's
     * {@link Meters} service, or nothing when there is none. A Socket.IO dialect hands it to its
     * {@code SocketIoServer.meters}, which counts the packets; the dialect counts its own errors and rate limits.
     */
    public WireMeters wireMeters(String dialect) {
        return new WireMeters(service(Meters.class).orElse(Meters.NONE), dialect);
    }
}
