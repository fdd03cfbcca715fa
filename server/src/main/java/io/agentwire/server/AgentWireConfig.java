package io.agentwire.server;

import io.agentwire.agent.AgentRuntimeConfig;
import io.agentwire.agent.DemoAgent;
import io.agentwire.agent.DemoAgentConfig;
import io.agentwire.agent.pipeline.PipelineAgent;
import io.agentwire.core.HistoryConfig;
import io.agentwire.dialect.envelope.EnvelopeConfig;
import io.agentwire.dialect.tracking.TrackingConfig;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one AgentWire server, immutable and validated: the keys of {@code reference.conf}
 * (docs/configuration.md) turned into the modules' own config records. Build it with {@link #load}.
 *
 * @param dev development mode: anonymous connections allowed, missing secrets generated at startup
 * @param http the HTTP listener ({@code agentwire.http}, the frame limit from {@code envelope.max-payload}, the
 *     writer limits from {@code agentwire.transport.writer})
 * @param auth secrets and claims checks ({@code agentwire.auth})
 * @param envelope the envelope dialect ({@code agentwire.envelope}, the default agent from {@code agents.default})
 * @param tracking the tracking dialect and its port ({@code agentwire.tracking})
 * @param history the resume window ({@code agentwire.history})
 * @param sessions session lifetime ({@code agentwire.sessions})
 * @param store the embedded store ({@code agentwire.data-dir}, {@code agentwire.store.sqlite})
 * @param agents the agent runtime and the agents ({@code agentwire.agents})
 * @param pipeline the model, the MCP servers and the pipeline agent ({@code agentwire.model}, {@code agentwire.mcp},
 *     {@code agentwire.agents.pipeline})
 */
public record AgentWireConfig(boolean dev, ServerConfig http, Auth auth, EnvelopeConfig envelope,
                              Tracking tracking, HistoryConfig history, SessionsConfig sessions,
                              SqliteStoreConfig store, Agents agents, PipelineSettings pipeline) {

    public AgentWireConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(pipeline, "pipeline");
        if (agents.defaultAgent().equals(PipelineAgent.NAME) && pipeline.model().isEmpty()) {
            throw new IllegalArgumentException("agentwire.agents.default = pipeline needs a model: set agentwire.model.base-url "
                    + "and agentwire.model.name (AGENTWIRE_MODEL_BASE_URL, AGENTWIRE_MODEL_NAME)");
        }
        if (!dev && auth.jwtSecret().isEmpty()) {
            throw new IllegalArgumentException(
                    "agentwire.auth.jwt.secret (AGENTWIRE_JWT_SECRET) is required unless --dev");
        }
        if (!envelope.defaultAgent().equals(agents.defaultAgent())) {
            throw new IllegalArgumentException("the envelope dialect's default agent (" + envelope.defaultAgent()
                    + ") must be agentwire.agents.default (" + agents.defaultAgent() + ")");
        }
        if (!tracking.dialect().agentName().equals(agents.defaultAgent())) {
            throw new IllegalArgumentException("the tracking dialect's agent name (" + tracking.dialect().agentName()
                    + ") must be agentwire.agents.default (" + agents.defaultAgent() + ")");
        }
        if (tracking.enabled() && tracking.listener().port() != 0 && tracking.listener().port() == http.port()) {
            throw new IllegalArgumentException("agentwire.tracking.port and agentwire.http.port must differ, both are "
                    + http.port());
        }
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
     *     dev mode (then generated at startup)
     * @param jwtIssuer the required {@code iss}, if any
     * @param jwtAudience the required {@code aud}, if any
     * @param apiKey the key of the HTTP API (reserved), if any
     */
    public record Auth(Optional<String> jwtSecret, Optional<String> jwtIssuer, Optional<String> jwtAudience,
                       Optional<String> apiKey) {
        /** No secrets, no claims checks. */
        public static final Auth NONE =
                new Auth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public Auth {
            jwtSecret = nonBlank(jwtSecret);
            jwtIssuer = nonBlank(jwtIssuer);
            jwtAudience = nonBlank(jwtAudience);
            apiKey = nonBlank(apiKey);
            jwtSecret.ifPresent(JwtAuthenticator::checkSecret);
        }

        private static Optional<String> nonBlank(Optional<String> s) {
            return Objects.requireNonNull(s, "optional value").filter(v -> !v.isBlank());
        }

        @Override
        public String toString() {
            return "Auth[jwtSecret=" + jwtSecret.map(s -> "<" + s.getBytes(StandardCharsets.UTF_8).length + " bytes>")
                    .orElse("<none>") + ", jwtIssuer=" + jwtIssuer.orElse("<any>") + ", jwtAudience="
                    + jwtAudience.orElse("<any>") + ", apiKey=" + apiKey.map(k -> "<set>").orElse("<none>") + "]";
        }
    }

    /**
     * The tracking dialect ({@code agentwire.tracking}, docs/tracking.md).
     *
     * @param enabled whether the tracking port and the tracking HTTP API are served
     * @param listener the tracking port ({@code host}, {@code port}; the frame limit from {@code max-payload}, the
     *     writer limits from {@code agentwire.transport.writer})
     * @param requireToken whether dashboards must present the envelope dialect's JWT (spec 002 has none)
     * @param dialect the dialect's own settings
     */
    public record Tracking(boolean enabled, ServerConfig listener, boolean requireToken, TrackingConfig dialect) {
        public static final Tracking DEFAULT = new Tracking(true, ServerConfig.of("0.0.0.0", 8000)
                .withMaxFrameBytes(TrackingConfig.DEFAULT.maxPayloadBytes()), false, TrackingConfig.DEFAULT);

        public Tracking {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(dialect, "dialect");
        }
    }

    /** @param ttl how long a session lives after its last use; expired ones are purged hourly */
    public record SessionsConfig(Duration ttl) {
        public static final SessionsConfig DEFAULT = new SessionsConfig(Duration.ofHours(24));

        public SessionsConfig {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("session ttl must be > 0, was " + ttl);
            }
        }
    }

    /**
     * @param defaultAgent the agent that runs a message naming none; one of {@link #KNOWN}
     * @param runtime the agent runtime's settings
     * @param demo the scripted demo agent's settings
     */
    public record Agents(String defaultAgent, AgentRuntimeConfig runtime, DemoAgentConfig demo) {
        /** The agents this server registers. */
        public static final Set<String> KNOWN = Set.of(DemoAgent.NAME, PipelineAgent.NAME);
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
