package io.agentwire.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectProvider;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.dialect.spi.SettingsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * One dialect found on the class path, with its settings read from its configuration section: the server knows
 * dialects only through these ({@link DialectProvider}s found with {@link ServiceLoader}, ordered by name).
 *
 * @param provider the dialect's provider
 * @param enabled whether it is served ({@code agentwire.<name>.enabled})
 * @param settings its settings record, validated
 */
public record DialectSettings(DialectProvider<?> provider, boolean enabled, Object settings) {

    public DialectSettings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(settings, "settings");
    }

    public String name() {
        return provider.name();
    }

    /** The prefixes of the streams the dialect keeps durable. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<String> durableStreams() {
        return ((DialectProvider) provider).durableStreams(settings);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Dialect create(DialectContext context) {
        return ((DialectProvider) provider).create(context, settings);
    }

    /** The providers on the class path, by name (a stable order); two with one name are an error. */
    static List<DialectProvider<?>> providers() {
        List<DialectProvider<?>> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DialectProvider<?> p : ServiceLoader.load(DialectProvider.class, DialectSettings.class.getClassLoader())) {
            if (!p.name().matches("[a-z][a-z0-9-]*")) {
                throw new ConfigurationException("dialect provider " + p.getClass().getName() + ": invalid name '"
                        + p.name() + "' (lower-case letters, digits, '-')");
            }
            if (!names.add(p.name())) {
                throw new ConfigurationException("two dialect providers are named '" + p.name() + "': "
                        + p.getClass().getName() + " and another on the class path");
            }
            out.add(p);
        }
        out.sort(java.util.Comparator.comparing(DialectProvider::name));
        return List.copyOf(out);
    }

    /** The providers' {@code reference.conf} fragments, unresolved, merged (each holds only its own section). */
    static Config fragments() {
        Config merged = ConfigFactory.empty();
        for (DialectProvider<?> p : providers()) {
            Config fragment = ConfigFactory.parseResources(p.getClass().getClassLoader(), p.referenceConf(),
                    ConfigParseOptions.defaults().setAllowMissing(false));
            merged = merged.withFallback(fragment);
        }
        return merged;
    }

    /** Reads every provider's section from the resolved configuration. */
    static List<DialectSettings> read(Config resolved) {
        List<DialectSettings> out = new ArrayList<>();
        for (DialectProvider<?> p : providers()) {
            Settings section = new Settings(resolved, ConfigLoader.ROOT + "." + p.name());
            try {
                out.add(new DialectSettings(p, p.enabled(section), p.settings(section)));
            } catch (SettingsException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
