package io.agentwire.server;

import io.agentwire.dialect.spi.RecordBinder;
import io.agentwire.dialect.spi.Setting;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.agentwire.agent.RetryPolicy;
import io.agentwire.agent.mcp.McpServerConfig;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.pipeline.PipelineAgent;
import io.agentwire.agent.pipeline.PipelineConfig;
import io.agentwire.agent.toolsmith.SandboxLimits;
import io.agentwire.agent.toolsmith.ToolsmithConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code agentwire.model}, {@code agentwire.mcp}, {@code agentwire.agents.pipeline} and {@code agentwire.toolsmith} into
 * {@link PipelineSettings}, naming the key of a bad value. {@code agentwire.mcp.servers} is a list of objects in a
 * file, or the same list as JSON text in {@code AGENTWIRE_MCP_SERVERS}.
 */
final class PipelineSettingsReader {
    private static final String ROOT = ConfigLoader.ROOT + ".";

    private final Config config;

    private PipelineSettingsReader(Config config) {
        this.config = config;
    }

    static PipelineSettings read(Config resolved) {
        return new PipelineSettingsReader(resolved).read();
    }

    /**
     * The default agent: {@code pipeline} when a model is configured and {@code agents.default} was left at its
     * default; otherwise {@code agents.default} as set.
     */
    static Setting defaultAgent(Setting configured, PipelineSettings settings) {
        if (settings.model().isEmpty() || !"default".equals(configured.origin())) return configured;
        return new Setting(configured.key(), PipelineAgent.NAME, PipelineAgent.NAME, "default (a model is configured)");
    }

    private PipelineSettings read() {
        Optional<ModelConfig> model = model();
        List<McpServerConfig> servers = servers();
        PipelineConfig pipeline = RecordBinder.from(PipelineConfig.defaults())
                .bind("confirmPlan", setting("agents.pipeline.confirm-plan", config.getBoolean(ROOT + "agents.pipeline.confirm-plan")))
                .bind("confirmTimeout", duration("agents.pipeline.confirm-timeout"))
                .bind("maxTasks", integer("agents.pipeline.max-tasks"))
                .bind("maxIterations", integer("agents.pipeline.max-iterations"))
                .bind("solverTimeout", duration("agents.pipeline.solver-timeout"))
                .build();
        return RecordBinder.from(PipelineSettings.DEFAULT)
                .derive("model", model)
                .derive("mcpServers", servers)
                .bind("mcpStartTimeout", duration("mcp.start-timeout"))
                .bind("mcpCallTimeout", duration("mcp.call-timeout"))
                .derive("pipeline", pipeline)
                .derive("toolsmith", toolsmith())
                .derive("models", NamedModelsReader.read(config, ROOT + "models", model.orElse(null)))
                .build();
    }

    /** {@code agentwire.toolsmith} (docs/toolsmith.md); its data under {@code <data-dir>/toolsmith}. */
    private ToolsmithConfig toolsmith() {
        ToolsmithConfig defaults = PipelineSettings.DEFAULT.toolsmith();
        SandboxLimits limits = RecordBinder.from(defaults.limits())
                .bind("wallTimeout", duration("toolsmith.limits.wall-timeout"))
                .bind("cpuSeconds", integer("toolsmith.limits.cpu-seconds"))
                .bind("memoryBytes", setting("toolsmith.limits.memory", config.getBytes(ROOT + "toolsmith.limits.memory")))
                .bind("maxProcesses", integer("toolsmith.limits.max-processes"))
                .bind("maxFileBytes", setting("toolsmith.limits.max-file-size", config.getBytes(ROOT + "toolsmith.limits.max-file-size")))
                .bind("maxOutputBytes", setting("toolsmith.limits.max-output", intBytes("toolsmith.limits.max-output")))
                .build();
        ToolsmithConfig.Promotion promotion = RecordBinder.from(defaults.promotion())
                .bind("minFrequency", integer("toolsmith.promotion.min-frequency"))
                .bind("minSuccessRate", number("toolsmith.promotion.min-success-rate"))
                .bind("minConfidence", number("toolsmith.promotion.min-confidence"))
                .bind("confidenceFrequency", integer("toolsmith.promotion.confidence-frequency"))
                .build();
        String mode = config.getString(ROOT + "toolsmith.sandbox").strip();
        ToolsmithConfig.SandboxMode sandbox = switch (mode) {
            case "bwrap" -> ToolsmithConfig.SandboxMode.BWRAP;
            case "none" -> ToolsmithConfig.SandboxMode.NONE;
            default -> throw refuse("toolsmith.sandbox", "must be bwrap or none, was " + mode);
        };
        return RecordBinder.from(defaults)
                .derive("dataDir", java.nio.file.Path.of(config.getString(ROOT + "data-dir")).resolve("toolsmith"))
                .bind("sandbox", new Setting(ROOT + "toolsmith.sandbox", sandbox, mode, origin("toolsmith.sandbox")))
                .bind("python", setting("toolsmith.python", config.getString(ROOT + "toolsmith.python")))
                .derive("limits", limits)
                .bind("searchThreshold", number("toolsmith.search-threshold"))
                .bind("compositeThreshold", number("toolsmith.composite-threshold"))
                .derive("promotion", promotion)
                .bind("cacheTtl", duration("toolsmith.cache-ttl"))
                .bind("displayChars", integer("toolsmith.display-chars"))
                .bind("stepTimeout", duration("toolsmith.step-timeout"))
                .build();
    }

    private Setting number(String key) {
        return setting(key, config.getDouble(ROOT + key));
    }

    private int intBytes(String key) {
        long b = config.getBytes(ROOT + key);
        if (b > Integer.MAX_VALUE) throw refuse(key, "must be below 2 GiB, was " + b);
        return (int) b;
    }

    private Optional<ModelConfig> model() {
        Optional<String> baseUrl = optional("model.base-url");
        Optional<String> name = optional("model.name");
        if (baseUrl.isEmpty()) {
            if (name.isPresent()) throw refuse("model.name", "needs agentwire.model.base-url (AGENTWIRE_MODEL_BASE_URL)");
            return Optional.empty();
        }
        if (name.isEmpty()) {
            throw new ConfigurationException(ROOT + "model.name (AGENTWIRE_MODEL_NAME) is required with agentwire.model.base-url");
        }
        URI url;
        try {
            url = new URI(baseUrl.get().strip());
        } catch (URISyntaxException e) {
            throw refuse("model.base-url", "not a URL: " + e.getReason());
        }
        Setting maxAttempts = integer("model.retry.max-attempts");
        Setting initialDelay = duration("model.retry.initial-delay");
        RetryPolicy retry;
        try {
            retry = RetryPolicy.of((Integer) maxAttempts.value(), (Duration) initialDelay.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(ROOT + "model.retry: " + e.getMessage());
        }
        Optional<String> key = config.hasPath(ROOT + "model.api-key")
                ? Optional.of(config.getString(ROOT + "model.api-key")) : Optional.empty();
        return Optional.of(RecordBinder.from(ModelConfig.of("http://localhost/v1", "default"))
                .bind("baseUrl", new Setting(ROOT + "model.base-url", url, baseUrl.get(), origin("model.base-url")))
                .bind("model", setting("model.name", name.get()))
                .derive("apiKey", key)
                .bind("connectTimeout", duration("model.connect-timeout"))
                .bind("responseTimeout", duration("model.response-timeout"))
                .derive("retry", retry)
                .build());
    }

    private List<McpServerConfig> servers() {
        String key = ROOT + "mcp.servers";
        List<? extends ConfigObject> list = objectList(config, key, "{name, command, args, env} or {name, url}");
        List<McpServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            servers.add(server(key + "[" + i + "]", list.get(i).toConfig()));
        }
        return servers;
    }

    /** A list of objects at {@code key}: in a file, or as JSON text from an environment variable. */
    static List<? extends ConfigObject> objectList(Config config, String key, String shape) {
        ConfigValue value = config.getValue(key);
        try {
            return value.valueType() == ConfigValueType.STRING
                    ? ConfigFactory.parseString("s = " + value.unwrapped()).getObjectList("s")
                    : config.getObjectList(key);
        } catch (ConfigException e) {
            throw new ConfigurationException(key + ": must be a list of " + shape + " objects (" + e.getMessage() + ")");
        }
    }

    private static McpServerConfig server(String where, Config c) {
        try {
            for (String k : c.root().keySet()) {
                if (!List.of("name", "command", "args", "env", "url").contains(k)) {
                    throw new ConfigurationException(where + "." + k + ": unknown key (an MCP server has name, command, args, env, url)");
                }
            }
            String name = c.hasPath("name") ? c.getString("name") : "";
            String command = c.hasPath("command") ? c.getString("command") : null;
            List<String> args = c.hasPath("args") ? c.getStringList("args") : List.of();
            Map<String, String> env = new LinkedHashMap<>();
            if (c.hasPath("env")) c.getObject("env").forEach((k, v) -> env.put(k, String.valueOf(v.unwrapped())));
            URI url = c.hasPath("url") ? new URI(c.getString("url")) : null;
            return new McpServerConfig(name, command, args, env, url);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage());
        } catch (URISyntaxException e) {
            throw new ConfigurationException(where + ".url: not a URL: " + e.getReason());
        }
    }

    private Optional<String> optional(String key) {
        return config.hasPath(ROOT + key) ? Optional.of(config.getString(ROOT + key)).filter(s -> !s.isBlank()) : Optional.empty();
    }

    private Setting integer(String key) {
        return setting(key, config.getInt(ROOT + key));
    }

    private Setting duration(String key) {
        return setting(key, config.getDuration(ROOT + key));
    }

    private Setting setting(String key, Object value) {
        return new Setting(ROOT + key, value, String.valueOf(config.getValue(ROOT + key).unwrapped()), origin(key));
    }

    private String origin(String key) {
        ConfigValue v = config.getValue(ROOT + key);
        return ConfigLoader.REFERENCE.equals(v.origin().resource()) ? "default" : v.origin().description();
    }

    private ConfigurationException refuse(String key, String problem) {
        return new ConfigurationException(ROOT + key + ": " + problem);
    }
}
