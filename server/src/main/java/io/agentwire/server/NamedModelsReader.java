package io.agentwire.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.agentwire.agent.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code agentwire.models}: named models besides the default one, a list of {@code {name, base-url, model,
 * api-key?}} objects in a file or the same list as JSON text in {@code AGENTWIRE_MODELS}. Each takes the timeouts and
 * retries of {@code agentwire.model}. Dialects pick them by name (the mesh dialect's per-phase loop models).
 */
final class NamedModelsReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final List<String> KEYS = List.of("name", "base-url", "model", "api-key");

    private NamedModelsReader() { }

    /** @param defaults the default model, whose timeouts and retries the named ones take (null: ModelConfig's own) */
    static Map<String, ModelConfig> read(Config config, String key, ModelConfig defaults) {
        List<? extends ConfigObject> list = PipelineSettingsReader.objectList(config, key, "{name, base-url, model, api-key}");
        Map<String, ModelConfig> models = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = key + "[" + i + "]";
            Config c = list.get(i).toConfig();
            for (String k : c.root().keySet()) {
                if (!KEYS.contains(k)) throw new ConfigurationException(where + "." + k + ": unknown key (a model has " + String.join(", ", KEYS) + ")");
            }
            for (String k : List.of("name", "base-url", "model")) {
                if (!c.hasPath(k) || c.getString(k).isBlank()) throw new ConfigurationException(where + "." + k + ": required");
            }
            String name = c.getString("name");
            if (!NAME.matcher(name).matches()) {
                throw new ConfigurationException(where + ".name: 1-64 of A-Z a-z 0-9 _ . - (starting with a letter or digit), was '" + name + "'");
            }
            ModelConfig m;
            try {
                m = ModelConfig.of(c.getString("base-url").strip(), c.getString("model"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(where + ".base-url: " + e.getMessage());
            }
            if (defaults != null) {
                m = new ModelConfig(m.baseUrl(), m.model(), m.apiKey(), defaults.connectTimeout(), defaults.responseTimeout(), defaults.retry());
            }
            if (c.hasPath("api-key") && !c.getString("api-key").isBlank()) m = m.withApiKey(c.getString("api-key"));
            if (models.putIfAbsent(name, m) != null) throw new ConfigurationException(where + ".name: '" + name + "' is named twice");
        }
        return models;
    }
}
