package io.agentwire.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stacks the configuration layers and resolves them: command-line flags &gt; environment variables &gt; the
 * {@code --config} file &gt; {@code reference.conf}. The process environment is never read here: callers pass it
 * in ({@code System.getenv()} in {@link Main}, a map in tests). Java system properties are not consulted.
 */
final class ConfigLoader {
    static final String ROOT = "agentwire";
    static final String REFERENCE = "reference.conf";
    static final String HTTP_HOST = ROOT + ".http.host";
    /** Where {@code --dev} listens when no host is configured (flag, environment or file). */
    static final String DEV_HOST = "127.0.0.1";

    private ConfigLoader() { }

    /**
     * @param file the {@code --config} file, or null
     * @param env the environment variables
     * @param flags key to value, from the command line (only the flags that were given)
     * @return the resolved configuration, every key present except the optional ones
     * @throws ConfigurationException if the file can not be read or parsed, or holds an unknown key
     */
    static Config load(Path file, Map<String, String> env, Map<String, Object> flags) {
        try {
            Config reference = reference();
            EnvBindings bindings = EnvBindings.of(reference);
            Config flagLayer = flagLayer(flags);
            Config envLayer = bindings.layer(env);
            Config fileLayer = fileLayer(file);
            Config merged = flagLayer.withFallback(envLayer).withFallback(fileLayer);
            ConfigResolveOptions options = ConfigResolveOptions.noSystem().appendResolver(EnvBindings.resolver(env));
            Config resolved = merged.withFallback(reference).resolve(options);
            if (resolved.getBoolean(ROOT + ".dev") && !sets(merged, HTTP_HOST)) {
                // Dev mode lets anonymous clients in: this machine only, unless a host was asked for.
                resolved = merged.withFallback(ConfigFactory.parseMap(Map.of(HTTP_HOST, DEV_HOST), "--dev"))
                        .withFallback(reference).resolve(options);
            }
            checkKnownKeys(resolved, reference, bindings);
            return resolved;
        } catch (ConfigException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /**
     * reference.conf with the dialects' fragments under it ({@code agentwire.<dialect>}), unresolved (its
     * {@code ${?NAME}} substitutions still in place).
     */
    static Config reference() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), REFERENCE,
                ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(DialectSettings.fragments());
    }

    /** Whether the unresolved layers give {@code path} a value (a substitution counts). */
    private static boolean sets(Config layers, String path) {
        try {
            return layers.hasPathOrNull(path);
        } catch (ConfigException.NotResolved e) {
            return true;
        }
    }

    private static Config fileLayer(Path file) {
        if (file == null) return ConfigFactory.empty();
        if (!Files.isRegularFile(file)) throw new ConfigurationException("--config " + file + ": no such file");
        if (!Files.isReadable(file)) throw new ConfigurationException("--config " + file + ": not readable");
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    }

    private static Config flagLayer(Map<String, Object> flags) {
        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, Object> f : flags.entrySet()) {
            layer = layer.withValue(f.getKey(), ConfigValueFactory.fromAnyRef(f.getValue(), "command line"));
        }
        return layer;
    }

    /** A key under {@code agentwire} that reference.conf does not know is a typo: refuse it rather than ignore it. */
    private static void checkKnownKeys(Config resolved, Config reference, EnvBindings bindings) {
        Set<String> known = new HashSet<>(bindings.variableByKey().keySet());
        reference.resolve(ConfigResolveOptions.noSystem().setAllowUnresolved(true))
                .entrySet().forEach(e -> known.add(e.getKey()));
        if (!resolved.hasPath(ROOT)) return;
        resolved.withOnlyPath(ROOT).entrySet().stream()
                .filter(e -> !known.contains(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .findFirst()
                .ifPresent(e -> {
                    ConfigValue v = e.getValue();
                    throw new ConfigurationException(e.getKey() + ": unknown key (" + v.origin().description()
                            + "); docs/configuration.md lists the keys");
                });
    }
}
