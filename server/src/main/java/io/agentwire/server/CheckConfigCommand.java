package io.agentwire.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwire check-config [--config FILE] [--dev]}: loads the configuration as {@code serve} would (the file,
 * the {@code AGENTWIRE_*} environment, reference.conf), validates it, and prints every effective key with where its
 * value came from, secrets masked. Exit code 0 when it is valid; 2, with the key named on stderr, when it is not.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Validate the configuration and print the effective settings (secrets masked).",
        footer = {"%nExit code 0: valid; 2: a configuration error (the key is named on stderr).",
                "Precedence as for 'agentwire serve': environment variables > --config file > reference.conf."})
final class CheckConfigCommand implements Callable<Integer> {
    static final String MASK = "\"********\"";
    /** Keys whose values are secrets: their last segment names one. */
    private static final Pattern SECRET_KEY = Pattern.compile("(^|[.-])(secret|api-key|password|token|credentials)$");

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration file (as for serve).")
    Path config;

    @Option(names = "--dev", description = "Check it as 'serve --dev' would run it.")
    boolean dev;

    private final Map<String, String> env;

    CheckConfigCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> flags = new LinkedHashMap<>();
        if (dev) flags.put("agentwire.dev", true);
        Config resolved;
        try {
            resolved = ConfigLoader.load(config, env, flags);
            LogFormat.of(resolved);
            ConfigReader.read(resolved);
        } catch (ConfigurationException e) {
            err.println("agentwire: configuration error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        out.print(render(resolved));
        out.println("# valid");
        out.flush();
        return Main.EXIT_OK;
    }

    /** One line per key under {@code agentwire}, sorted: {@code key = value  # origin}, secrets masked. */
    static String render(Config resolved) {
        Map<String, ConfigValue> sorted = new TreeMap<>();
        resolved.withOnlyPath(ConfigLoader.ROOT).entrySet().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        StringBuilder b = new StringBuilder();
        ConfigRenderOptions concise = ConfigRenderOptions.concise();
        for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
            b.append(e.getKey()).append(" = ").append(masked(e.getKey(), e.getValue()).render(concise))
                    .append("  # ").append(origin(e.getValue().origin())).append('\n');
        }
        return b.toString();
    }

    /** The value as it may be shown: secrets as asterisks, a password in a URI hidden, MCP servers' env values hidden. */
    static ConfigValue masked(String key, ConfigValue value) {
        Object raw = value.unwrapped();
        if (SECRET_KEY.matcher(key).find()) {
            return ConfigValueFactory.fromAnyRef(raw == null || raw.toString().isEmpty() ? "" : "********");
        }
        if (raw instanceof String s && s.contains("://") && s.contains("@")) {
            return ConfigValueFactory.fromAnyRef(withoutUserInfo(s));
        }
        if (key.equals(ConfigLoader.ROOT + ".models")) { // named models: their api-key hidden (the JSON text entirely)
            if (raw instanceof String s) return ConfigValueFactory.fromAnyRef(s.contains("api-key") ? "********" : s);
            if (raw instanceof List<?> list) return ConfigValueFactory.fromAnyRef(list.stream().map(CheckConfigCommand::maskApiKey).toList());
        }
        if (raw instanceof List<?> list && key.endsWith("mcp.servers")) {
            return ConfigValueFactory.fromAnyRef(list.stream().map(CheckConfigCommand::maskServerEnv).toList());
        }
        return value;
    }

    private static Object maskApiKey(Object model) {
        if (!(model instanceof Map<?, ?> m) || !m.containsKey("api-key")) return model;
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.put("api-key", "********");
        return copy;
    }

    private static Object maskServerEnv(Object server) {
        if (!(server instanceof Map<?, ?> m) || !(m.get("env") instanceof Map<?, ?> envMap)) return server;
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        Map<Object, Object> hidden = new LinkedHashMap<>();
        envMap.keySet().forEach(k -> hidden.put(k, "********"));
        copy.put("env", hidden);
        return copy;
    }

    private static String withoutUserInfo(String uri) {
        try {
            URI u = URI.create(uri);
            if (u.getRawUserInfo() == null) return uri;
            return uri.replace(u.getRawUserInfo() + "@", "****@");
        } catch (IllegalArgumentException e) {
            return uri.replaceAll("//[^/@]*@", "//****@");
        }
    }

    private static String origin(ConfigOrigin o) {
        if (o.resource() != null && o.resource().endsWith(ConfigLoader.REFERENCE)) return "default"; // incl. dialects'

        if (o.filename() != null) return o.filename() + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "");
        return o.description();
    }
}
