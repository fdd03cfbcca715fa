package io.agentwire.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which environment variable sets which key, as {@code reference.conf} declares it with {@code key = ${?NAME}},
 * and the configuration layer that the environment makes. The layer sits above the {@code --config} file, which
 * plain HOCON substitution can not do (a file's value would hide the substitution in reference.conf).
 */
final class EnvBindings {
    private static final String MARK = "\u0000env:";

    private final Map<String, String> variableByKey;

    private EnvBindings(Map<String, String> variableByKey) {
        this.variableByKey = Collections.unmodifiableMap(variableByKey);
    }

    /** Reads the bindings from an unresolved reference.conf: every {@code ${?NAME}} a key may take its value from. */
    static EnvBindings of(Config unresolvedReference) {
        ConfigResolver marker = new Resolver(Map.of(), true);
        Config probe = unresolvedReference.resolve(ConfigResolveOptions.noSystem().appendResolver(marker));
        Map<String, String> bindings = new TreeMap<>();
        probe.entrySet().forEach(e -> {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.STRING && ((String) v.unwrapped()).startsWith(MARK)) {
                bindings.put(e.getKey(), ((String) v.unwrapped()).substring(MARK.length()));
            }
        });
        return new EnvBindings(bindings);
    }

    /** Key to variable name, sorted by key. */
    Map<String, String> variableByKey() {
        return variableByKey;
    }

    /** The keys the environment sets; an empty variable counts as unset. */
    Config layer(Map<String, String> env) {
        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, String> b : variableByKey.entrySet()) {
            String value = env.get(b.getValue());
            if (value != null && !value.isEmpty()) {
                layer = layer.withValue(b.getKey(),
                        ConfigValueFactory.fromAnyRef(value, "environment variable " + b.getValue()));
            }
        }
        return layer;
    }

    /** Resolves {@code ${?NAME}} substitutions (in reference.conf or a user's file) from {@code env}. */
    static ConfigResolver resolver(Map<String, String> env) {
        return new Resolver(env, false);
    }

    /** Answers substitutions from a map, or (to discover the bindings) with a marker naming the variable. */
    private record Resolver(Map<String, String> env, boolean mark) implements ConfigResolver {
        @Override
        public ConfigValue lookup(String path) {
            if (mark) return ConfigValueFactory.fromAnyRef(MARK + path);
            String value = env.get(path);
            return value == null || value.isEmpty()
                    ? null : ConfigValueFactory.fromAnyRef(value, "environment variable " + path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver fallback) {
            return this;
        }
    }
}
