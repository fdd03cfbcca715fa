package io.agentwire.server;

import com.nimbusds.jose.jwk.JWKSet;
import io.agentwire.agent.AgentRuntimeConfig;
import io.agentwire.agent.DemoAgent;
import io.agentwire.agent.DemoAgentConfig;
import io.agentwire.agent.remote.RemoteAgentsConfig;
import io.agentwire.agent.pipeline.PipelineAgent;
import io.agentwire.agent.toolsmith.ToolsmithAgent;
import io.agentwire.core.HistoryConfig;
import io.agentwire.redis.RedisConfig;
import io.agentwire.server.console.ConsoleSettings;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one AgentWire server, immutable and validated: the keys of {@code reference.conf}
 * (docs/configuration.md) turned into the modules' own config records. Build it with {@link #load}.
 *
 * @param dev development mode: anonymous connections allowed, missing secrets generated at startup
 * @param http the HTTP listener ({@code agentwire.http}, the writer limits from {@code agentwire.transport.writer};
 *     its frame limit is the largest one the dialects on it ask for)
 * @param auth secrets and claims checks ({@code agentwire.auth})
 * @param dialects the dialects found on the class path, with their settings ({@code agentwire.<name>}), in
 *     name order
 * @param history the resume window ({@code agentwire.history})
 * @param sessions session lifetime ({@code agentwire.sessions})
 * @param store the embedded store ({@code agentwire.data-dir}, {@code agentwire.store.sqlite})
 * @param agents the agent runtime and the agents ({@code agentwire.agents})
 * @param cluster cluster mode on Redis ({@code agentwire.cluster}); empty: one node with the embedded store
 * @param remoteAgents the remote agents' endpoint ({@code agentwire.agents.remote}, docs/remote-agents.md)
 * @param pipeline the model, the MCP servers and the pipeline agent ({@code agentwire.model}, {@code agentwire.mcp},
 *     {@code agentwire.agents.pipeline})
 * @param console the web console ({@code agentwire.console}, docs/console.md)
 */
public record AgentWireConfig(boolean dev, ServerConfig http, Auth auth, List<DialectSettings> dialects,
                              HistoryConfig history, SessionsConfig sessions,
                              SqliteStoreConfig store, Agents agents, Optional<RedisConfig> cluster,
                              RemoteAgentsConfig remoteAgents, PipelineSettings pipeline, ConsoleSettings console) {

    /** One node (no cluster), remote agents with their defaults, no model. */
    public AgentWireConfig(boolean dev, ServerConfig http, Auth auth, List<DialectSettings> dialects,
                           HistoryConfig history, SessionsConfig sessions, SqliteStoreConfig store, Agents agents) {
        this(dev, http, auth, dialects, history, sessions, store, agents, Optional.empty(),
                RemoteAgentsConfig.DEFAULT, PipelineSettings.DEFAULT, ConsoleSettings.DEFAULT);
    }

    public AgentWireConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        dialects = List.copyOf(dialects);
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(remoteAgents, "remoteAgents");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(console, "console");
        if ((agents.defaultAgent().equals(PipelineAgent.NAME) || agents.defaultAgent().equals(ToolsmithAgent.NAME))
                && pipeline.model().isEmpty()) {
            throw new IllegalArgumentException("agentwire.agents.default = " + agents.defaultAgent() + " needs a model: set agentwire.model.base-url "
                    + "and agentwire.model.name (AGENTWIRE_MODEL_BASE_URL, AGENTWIRE_MODEL_NAME)");
        }
        if (!dev && auth.jwtSecret().isEmpty() && auth.jwtJwks().isEmpty()) {
            throw new IllegalArgumentException(
                    "agentwire.auth.jwt.secret (AGENTWIRE_JWT_SECRET) is required unless --dev");
        }
    }

    /** The settings of the dialect {@code name}, as its provider read them (for tests and tools). */
    public <S> S dialect(String name, Class<S> type) {
        return dialects.stream().filter(d -> d.name().equals(name)).findFirst()
                .map(d -> type.cast(d.settings()))
                .orElseThrow(() -> new IllegalArgumentException("no dialect named " + name));
    }

    /** Whether the dialect {@code name} is found and enabled. */
    public boolean dialectEnabled(String name) {
        return dialects.stream().anyMatch(d -> d.name().equals(name) && d.enabled());
    }

    /**
     * Loads the configuration: {@code flags} &gt; {@code env} &gt; {@code file} &gt; {@code reference.conf}.
     *
     * @param file a HOCON (or JSON, .properties) file, or null for none
     * @param env environment variables (pass {@code System.getenv()}); only the ones reference.conf names are used
     * @param flags overrides by key, e.g. {@code agentwire.http.port → 0} (the command line's flags)
     * @throws ConfigurationException naming the key of the first bad value
     */
    public static AgentWireConfig load(Path file, Map<String, String> env, Map<String, Object> flags) {
        return ConfigReader.read(ConfigLoader.load(file, env, flags));
    }

    /** The data directory (also {@code store().dataDir()}). */
    public Path dataDir() {
        return store.dataDir();
    }

    /**
     * Authentication settings. Secrets are never printed by {@link #toString()}.
     *
     * @param jwtSecret the HS256 secret, at least {@link JwtAuthenticator#MIN_SECRET_BYTES} bytes; empty only in
     *     dev mode (then generated at startup) or when a JWKS is configured (then HS256 tokens are refused)
     * @param jwtIssuer the required {@code iss}, if any
     * @param jwtAudience the required {@code aud}, if any
     * @param apiKey the key of the HTTP API, if any
     * @param jwtJwks the public keys RS256 and ES256 tokens are verified with, if any
     */
    public record Auth(Optional<String> jwtSecret, Optional<String> jwtIssuer, Optional<String> jwtAudience,
                       Optional<String> apiKey, Optional<JWKSet> jwtJwks) {
        /** No secrets, no keys, no claims checks. */
        public static final Auth NONE =
                new Auth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public Auth {
            jwtSecret = nonBlank(jwtSecret);
            jwtIssuer = nonBlank(jwtIssuer);
            jwtAudience = nonBlank(jwtAudience);
            apiKey = nonBlank(apiKey);
            jwtSecret.ifPresent(JwtAuthenticator::checkSecret);
            jwtJwks = Objects.requireNonNull(jwtJwks, "jwtJwks").map(JwtAuthenticator::checkJwks);
        }

        private static Optional<String> nonBlank(Optional<String> s) {
            return Objects.requireNonNull(s, "optional value").filter(v -> !v.isBlank());
        }

        @Override
        public String toString() {
            return "Auth[jwtSecret=" + jwtSecret.map(s -> "<" + s.getBytes(StandardCharsets.UTF_8).length + " bytes>")
                    .orElse("<none>") + ", jwtIssuer=" + jwtIssuer.orElse("<any>") + ", jwtAudience="
                    + jwtAudience.orElse("<any>") + ", apiKey=" + apiKey.map(k -> "<set>").orElse("<none>") + ", jwks="
                    + jwtJwks.map(j -> j.getKeys().size() + " keys").orElse("<none>") + "]";
        }
    }

    /**
     * @param ttl how long a session lives after its last use; expired ones are purged hourly
     * @param maxPerPrincipal open, unexpired sessions one principal may own (one more: {@code SESSION_LIMIT})
     * @param maxMetadataBytes the largest session metadata as JSON (larger: {@code INVALID_FIELD})
     */
    public record SessionsConfig(Duration ttl, int maxPerPrincipal, int maxMetadataBytes) {
        public static final SessionsConfig DEFAULT = new SessionsConfig(Duration.ofHours(24),
                io.agentwire.core.Sessions.Limits.DEFAULT.maxOpenPerPrincipal(),
                io.agentwire.core.Sessions.Limits.DEFAULT.maxMetadataBytes());

        public SessionsConfig {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("session ttl must be > 0, was " + ttl);
            }
            if (maxPerPrincipal < 1 || maxPerPrincipal > 1_000_000) {
                throw new IllegalArgumentException("sessions.max-per-principal must be 1..1000000, was " + maxPerPrincipal);
            }
            if (maxMetadataBytes < 2 || maxMetadataBytes > 1_048_576) {
                throw new IllegalArgumentException("sessions.max-metadata-bytes must be 2..1048576, was " + maxMetadataBytes);
            }
        }

        public SessionsConfig(Duration ttl) {
            this(ttl, DEFAULT.maxPerPrincipal(), DEFAULT.maxMetadataBytes());
        }

        /** The limits {@code Sessions} enforces. */
        public io.agentwire.core.Sessions.Limits limits() {
            return new io.agentwire.core.Sessions.Limits(maxPerPrincipal, maxMetadataBytes);
        }
    }

    /**
     * @param defaultAgent the agent that runs a message naming none; one of {@link #KNOWN}
     * @param runtime the agent runtime's settings
     * @param demo the scripted demo agent's settings
     */
    public record Agents(String defaultAgent, AgentRuntimeConfig runtime, DemoAgentConfig demo) {
        /** The agents this server registers. */
        public static final Set<String> KNOWN = Set.of(DemoAgent.NAME, PipelineAgent.NAME, ToolsmithAgent.NAME);
        public static final Agents DEFAULT =
                new Agents(DemoAgent.NAME, AgentRuntimeConfig.defaults(), DemoAgentConfig.defaults());

        public Agents {
            Objects.requireNonNull(defaultAgent, "defaultAgent");
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(demo, "demo");
            if (!KNOWN.contains(defaultAgent)) {
                throw new IllegalArgumentException("no agent named " + defaultAgent + " is registered (registered: "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN)) + ")");
            }
        }
    }
}
