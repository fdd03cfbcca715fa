package io.agentwire.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.agentwire.dialect.spi.RecordBinder;
import io.agentwire.dialect.spi.Setting;
import io.agentwire.dialect.spi.SettingsException;
import com.nimbusds.jose.jwk.JWKSet;
import io.agentwire.agent.AgentRuntimeConfig;
import io.agentwire.agent.DemoAgentConfig;
import io.agentwire.agent.remote.RemoteAgentsConfig;
import io.agentwire.core.HistoryConfig;
import io.agentwire.redis.RedisConfig;
import io.agentwire.server.console.ConsoleSettings;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.HttpLimits;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.WriterLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a resolved {@link Config} into an {@link AgentWireConfig}: reads each key with its type and hands the
 * values to the modules' records through {@link RecordBinder}, which reports a refused value under its key.
 */
final class ConfigReader {
    /** How long the broker remembers an idle stream, unless the resume window is longer. */
    private static final Duration MIN_IDLE_STREAM_TIMEOUT = HistoryConfig.DEFAULT.idleStreamTimeout();

    private final Config config;

    private ConfigReader(Config config) {
        this.config = config;
    }

    static AgentWireConfig read(Config resolved) {
        try {
            return new ConfigReader(resolved).read();
        } catch (ConfigException | SettingsException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private AgentWireConfig read() {
        Setting defaultAgent = string("agents.default");
        PipelineSettings pipeline = PipelineSettingsReader.read(config);
        defaultAgent = PipelineSettingsReader.defaultAgent(defaultAgent, pipeline);
        WriterLimits writer = RecordBinder.from(WriterLimits.DEFAULTS)
                .bind("maxQueuedMessages", integer("transport.writer.max-queued-messages"))
                .bind("maxQueuedBytes", bytes("transport.writer.max-queued-bytes"))
                .bind("closeGrace", duration("transport.writer.close-grace"))
                .build();
        ServerConfig http = RecordBinder.from(ServerConfig.of("0.0.0.0", 8080))
                .bind("host", string("http.host"))
                .bind("port", integer("http.port"))
                .derive("writer", writer)
                .derive("limits", httpLimits())
                .build();
        List<DialectSettings> dialects = DialectSettings.read(config);
        Setting ttl = duration("history.ttl");
        Duration idle = ((Duration) ttl.value()).compareTo(MIN_IDLE_STREAM_TIMEOUT) > 0
                ? (Duration) ttl.value() : MIN_IDLE_STREAM_TIMEOUT;
        HistoryConfig history = RecordBinder.from(HistoryConfig.DEFAULT)
                .bind("size", integer("history.size"))
                .bind("ttl", ttl)
                .derive("idleStreamTimeout", idle)
                .build();
        AgentWireConfig.SessionsConfig sessions = RecordBinder.from(AgentWireConfig.SessionsConfig.DEFAULT)
                .bind("ttl", duration("sessions.ttl"))
                .bind("maxPerPrincipal", integer("sessions.max-per-principal"))
                .bind("maxMetadataBytes", integer("sessions.max-metadata-bytes"))
                .build();
        SqliteStoreConfig store = RecordBinder.from(SqliteStoreConfig.defaults(Path.of("data")))
                .bind("dataDir", path("data-dir"))
                .bind("synchronous", synchronous("store.sqlite.synchronous"))
                .bind("maxBatch", integer("store.sqlite.max-batch"))
                .bind("maxPending", integer("store.sqlite.max-pending"))
                .build();
        AgentRuntimeConfig runtime = RecordBinder.from(AgentRuntimeConfig.defaults())
                .bind("maxRunsPerSession", integer("agents.max-runs-per-session"))
                .build();
        DemoAgentConfig demo = RecordBinder.from(DemoAgentConfig.defaults())
                .bind("stepDelay", duration("agents.demo.step-delay"))
                .bind("confirmPlan", bool("agents.demo.confirm-plan"))
                .bind("confirmTimeout", duration("agents.demo.confirm-timeout"))
                .build();
        AgentWireConfig.Agents agents = RecordBinder.from(AgentWireConfig.Agents.DEFAULT)
                .bind("defaultAgent", defaultAgent)
                .derive("runtime", runtime)
                .derive("demo", demo)
                .build();
        AgentWireConfig.Auth auth = RecordBinder.from(AgentWireConfig.Auth.NONE)
                .bind("jwtSecret", secret("auth.jwt.secret"))
                .bind("jwtIssuer", optional("auth.jwt.issuer"))
                .bind("jwtAudience", optional("auth.jwt.audience"))
                .bind("apiKey", secret("auth.api-key"))
                .bind("jwtJwks", jwks("auth.jwt.jwks"))
                .build();
        RemoteAgentsConfig remoteAgents = RecordBinder.from(RemoteAgentsConfig.DEFAULT)
                .bind("enabled", bool("agents.remote.enabled"))
                .bind("path", string("agents.remote.path"))
                .bind("grace", duration("agents.remote.grace"))
                .bind("cancelTimeout", duration("agents.remote.cancel-timeout"))
                .bind("heartbeatInterval", duration("agents.remote.heartbeat-interval"))
                .bind("heartbeatTimeout", duration("agents.remote.heartbeat-timeout"))
                .build();
        ConsoleSettings console = RecordBinder.from(ConsoleSettings.DEFAULT)
                .bind("enabled", bool("console.enabled"))
                .bind("path", string("console.path"))
                .bind("sessionTtl", duration("console.session-ttl"))
                .bind("secureCookie", bool("console.secure-cookie"))
                .bind("adminRole", string("console.admin-role"))
                .build();
        boolean dev = (Boolean) bool("dev").value();
        try {
            return new AgentWireConfig(dev, http, auth, dialects, history, sessions, store, agents, cluster(),
                    remoteAgents, pipeline, console);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** Cluster mode: present when {@code agentwire.cluster.redis} is set (docs/cluster.md). */
    private Optional<RedisConfig> cluster() {
        Setting uri = optional("cluster.redis");
        @SuppressWarnings("unchecked")
        Optional<String> value = ((Optional<String>) uri.value()).filter(v -> !v.isBlank());
        if (value.isEmpty()) return Optional.empty();
        RedisConfig defaults;
        try {
            defaults = RedisConfig.of(value.get());
        } catch (IllegalArgumentException e) {
            throw refuse("cluster.redis", e.getMessage());
        }
        try {
            return Optional.of(new RedisConfig(value.get(), (String) string("cluster.key-prefix").value(),
                    (Duration) duration("cluster.command-timeout").value(), defaults.reconnectMin(),
                    (Duration) duration("cluster.reconnect-max-delay").value(),
                    (Duration) duration("cluster.presence-heartbeat").value()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("agentwire.cluster: " + e.getMessage(), e);
        }
    }

    /** {@code agentwire.limits.http}: every listener's timeouts and limits (docs/limits.md). */
    private HttpLimits httpLimits() {
        return RecordBinder.from(HttpLimits.DEFAULTS)
                .bind("idleTimeout", duration("limits.http.idle-timeout"))
                .bind("headerTimeout", duration("limits.http.header-timeout"))
                .bind("bodyTimeout", duration("limits.http.body-timeout"))
                .bind("maxConnections", integer("limits.http.max-connections"))
                .bind("maxConnectionsPerPrincipal", integer("limits.http.max-connections-per-principal"))
                .bind("apiPerSecond", number("limits.http.api-rate.per-second"))
                .bind("apiBurst", integer("limits.http.api-rate.burst"))
                .build();
    }

    /** A JWKS, inline (text starting with '{') or as the path of a JSON file; its public keys only. */
    private Setting jwks(String key) {
        String k = full(key);
        if (!config.hasPath(k) || config.getString(k).isBlank()) return new Setting(k, Optional.empty(), "", "default");
        String text = config.getString(k).trim();
        JWKSet jwks;
        try {
            jwks = text.startsWith("{") ? JWKSet.parse(text) : JWKSet.parse(Files.readString(Path.of(text)));
        } catch (ParseException e) {
            throw new ConfigurationException(k + ": not a valid JWKS: " + e.getMessage() + " (" + origin(k) + ")");
        } catch (IOException | InvalidPathException e) {
            throw new ConfigurationException(k + ": can not read the JWKS file " + text + ": " + e.getMessage()
                    + " (" + origin(k) + ")");
        }
        return new Setting(k, Optional.of(jwks), text.startsWith("{") ? "<inline JWKS>" : text, origin(k));
    }

    private Setting string(String key) {
        return setting(key, config.getString(full(key)));
    }

    private Setting integer(String key) {
        return setting(key, config.getInt(full(key)));
    }

    private Setting number(String key) {
        return setting(key, config.getDouble(full(key)));
    }

    private Setting bool(String key) {
        return setting(key, config.getBoolean(full(key)));
    }

    private Setting duration(String key) {
        return setting(key, config.getDuration(full(key)));
    }

    private Setting bytes(String key) {
        return setting(key, config.getBytes(full(key)));
    }

    private Setting intBytes(String key) {
        long n = config.getBytes(full(key));
        if (n > Integer.MAX_VALUE) throw refuse(key, "must be less than 2GiB");
        return setting(key, (int) n);
    }

    private Setting path(String key) {
        try {
            return setting(key, Path.of(config.getString(full(key))));
        } catch (InvalidPathException e) {
            throw refuse(key, "not a valid path: " + e.getReason());
        }
    }

    private Setting synchronous(String key) {
        String text = config.getString(full(key)).trim().toUpperCase(Locale.ROOT);
        try {
            return setting(key, SqliteStoreConfig.Synchronous.valueOf(text));
        } catch (IllegalArgumentException e) {
            throw refuse(key, "must be FULL or NORMAL");
        }
    }

    private Setting optional(String key) {
        String k = full(key);
        if (!config.hasPath(k)) return new Setting(k, Optional.empty(), "", "default");
        return setting(key, Optional.of(config.getString(k)));
    }

    /** An optional secret: its raw text is never kept, so no message can show it. */
    private Setting secret(String key) {
        String k = full(key);
        Optional<String> value = config.hasPath(k) ? Optional.of(config.getString(k)) : Optional.empty();
        return new Setting(k, value, "<hidden>", origin(k));
    }

    private Setting setting(String key, Object value) {
        String k = full(key);
        return new Setting(k, value, String.valueOf(config.getValue(k).unwrapped()), origin(k));
    }

    private ConfigurationException refuse(String key, String problem) {
        String k = full(key);
        return new ConfigurationException(k + ": " + problem + ", was " + config.getValue(k).unwrapped()
                + " (" + origin(k) + ")");
    }

    private String origin(String key) {
        if (!config.hasPath(key)) return "default";
        ConfigValue v = config.getValue(key);
        String resource = v.origin().resource();
        return ConfigLoader.REFERENCE.equals(resource) ? "default" : v.origin().description();
    }

    private static String full(String key) {
        return ConfigLoader.ROOT + "." + key;
    }
}
