package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigValueFactory;
import io.agentwire.agent.RetryPolicy;
import io.agentwire.agent.model.ModelConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agentwire.models: named models from a file or JSON in the environment, their defaults, errors naming the key. */
class NamedModelsConfigTest {
    @TempDir Path dir;

    private static AgentWireConfig load(Map<String, String> env) {
        return AgentWireConfig.load(null, env, Map.of("agentwire.dev", true));
    }

    @Test
    void noneByDefault() {
        assertThat(load(Map.of()).pipeline().models()).isEmpty();
    }

    @Test
    void theFileNamesModelsThatTakeTheDefaultModelsTimeouts() throws Exception {
        AgentWireConfig c = TestConfigs.devWithFile(dir, """
                agentwire.model { base-url = "http://127.0.0.1:8000/v1", name = main, response-timeout = 30s,
                                  retry { max-attempts = 2, initial-delay = 200ms } }
                agentwire.models = [
                  {name = deep, base-url = "https://api.example.com/v1", model = big-1, api-key = sk-deep},
                  {name = fast, base-url = "http://127.0.0.1:8001/v1", model = small-1}
                ]
                """, Map.of());
        Map<String, ModelConfig> models = c.pipeline().models();
        assertThat(models).containsOnlyKeys("deep", "fast");
        assertThat(models.get("deep").baseUrl()).isEqualTo(URI.create("https://api.example.com/v1"));
        assertThat(models.get("deep").model()).isEqualTo("big-1");
        assertThat(models.get("deep").apiKey()).contains("sk-deep");
        assertThat(models.get("fast").apiKey()).isEqualTo(Optional.empty());
        assertThat(models.get("fast").responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(models.get("fast").retry()).isEqualTo(RetryPolicy.of(2, Duration.ofMillis(200)));
        assertThat(c.toString()).doesNotContain("sk-deep");
    }

    @Test
    void theEnvironmentTakesThemAsJson() {
        AgentWireConfig c = load(Map.of("AGENTWIRE_MODELS", "[{\"name\":\"r1\",\"base-url\":\"http://127.0.0.1:9/v1\",\"model\":\"m\"}]"));
        assertThat(c.pipeline().models().get("r1").model()).isEqualTo("m");
    }

    @Test
    void badEntriesNameTheKey() {
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODELS", "[{\"name\":\"x\",\"model\":\"m\"}]")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.models[0].base-url");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODELS", "[{\"name\":\"x\",\"base-url\":\"ftp://h/v1\",\"model\":\"m\"}]")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.models[0].base-url");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODELS", "[{\"name\":\"x y\",\"base-url\":\"http://h/v1\",\"model\":\"m\"}]")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.models[0].name");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODELS", "[{\"name\":\"x\",\"base-url\":\"http://h/v1\",\"model\":\"m\",\"temp\":1}]")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.models[0].temp");
        String twice = "{\"name\":\"x\",\"base-url\":\"http://h/v1\",\"model\":\"m\"}";
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODELS", "[" + twice + "," + twice + "]")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.models[1].name");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_MODELS", "not a list")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.models");
    }

    @Test
    void checkConfigHidesTheirKeys() {
        Object shown = CheckConfigCommand.masked("agentwire.models", ConfigValueFactory.fromAnyRef(
                List.of(Map.of("name", "deep", "base-url", "http://h/v1", "model", "m", "api-key", "sk-deep")))).unwrapped();
        assertThat(shown.toString()).doesNotContain("sk-deep").contains("deep", "********");
        assertThat(CheckConfigCommand.masked("agentwire.models", ConfigValueFactory.fromAnyRef(
                "[{\"name\":\"d\",\"api-key\":\"sk-1\"}]")).unwrapped()).isEqualTo("********");
    }
}
