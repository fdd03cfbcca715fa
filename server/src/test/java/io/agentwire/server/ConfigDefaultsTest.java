package io.agentwire.server;

import io.agentwire.dialect.rooms.RoomsConfig;
import io.agentwire.dialect.spi.Listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigResolveOptions;
import io.agentwire.agent.AgentRuntimeConfig;
import io.agentwire.agent.DemoAgentConfig;
import io.agentwire.core.HistoryConfig;
import io.agentwire.dialect.envelope.EnvelopeConfig;
import io.agentwire.dialect.tracking.TrackingConfig;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.WriterLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConfigDefaultsTest {

    private static AgentWireConfig defaults() {
        // --dev alone listens on 127.0.0.1 (ConfigPrecedenceTest); the host given here is reference.conf's default
        return AgentWireConfig.load(null, Map.of(), Map.of("agentwire.dev", true, "agentwire.http.host", "0.0.0.0"));
    }

    @Test
    void referenceConfHoldsTheModulesDefaults() {
        AgentWireConfig c = defaults();
        assertThat(c.dev()).isTrue();
        assertThat(c.http()).isEqualTo(ServerConfig.of("0.0.0.0", 8080));
        assertThat(c.http().writer()).isEqualTo(WriterLimits.DEFAULTS);
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.store()).isEqualTo(SqliteStoreConfig.defaults(Path.of("./data")));
        assertThat(TestConfigs.envelope(c)).isEqualTo(EnvelopeConfig.DEFAULT);
        assertThat(c.history()).isEqualTo(HistoryConfig.DEFAULT);
        assertThat(c.sessions().ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.agents().defaultAgent()).isEqualTo("demo");
        assertThat(c.agents().runtime()).isEqualTo(AgentRuntimeConfig.defaults());
        assertThat(c.agents().demo()).isEqualTo(DemoAgentConfig.defaults());
        assertThat(c.auth()).isEqualTo(AgentWireConfig.Auth.NONE);
        assertThat(c.dialects()).extracting(DialectSettings::name).contains("envelope", "tracking", "rooms");
        assertThat(c.dialectEnabled("tracking")).isTrue();
        assertThat(TestConfigs.tracking(c).dialect()).isEqualTo(TrackingConfig.DEFAULT);
        assertThat(TestConfigs.tracking(c).address()).isEqualTo(new Listener.Address("0.0.0.0", 8000));
        assertThat(TestConfigs.tracking(c).requireToken()).isFalse();
        assertThat(c.dialectEnabled("rooms")).isTrue();
        assertThat(TestConfigs.rooms(c).dialect()).isEqualTo(RoomsConfig.DEFAULT);
        assertThat(TestConfigs.rooms(c).address().port()).isEqualTo(8000);
        assertThat(TestConfigs.rooms(c).dialect().namespace()).isEqualTo("/ws");
        assertThat(TestConfigs.rooms(c).dialect().socketIo().engineIo().maxPayload()).isEqualTo(1_000_000);
        assertThat(TestConfigs.rooms(c).address()).isEqualTo(TestConfigs.tracking(c).address()); // one listener
    }

    @Test
    void productionNeedsASecret() {
        assertThatThrownBy(() -> AgentWireConfig.load(null, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agentwire.auth.jwt.secret (AGENTWIRE_JWT_SECRET) is required unless --dev");
        AgentWireConfig c = AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET), Map.of());
        assertThat(c.dev()).isFalse();
        assertThat(c.auth().jwtSecret()).contains(TestConfigs.SECRET);
    }

    @Test
    void secretsNeverAppearInToString() {
        AgentWireConfig c = AgentWireConfig.load(null,
                Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET, "AGENTWIRE_API_KEY", "key-that-is-secret"), Map.of());
        assertThat(c.toString()).doesNotContain(TestConfigs.SECRET).doesNotContain("key-that-is-secret")
                .contains("jwtSecret=<" + TestConfigs.SECRET.length() + " bytes>");
    }

    @Test
    void everyKeyHasAnEnvironmentVariableNamedByTheRule() {
        Map<String, String> bindings = EnvBindings.of(ConfigLoader.reference()).variableByKey();
        Set<String> keys = new TreeSet<>(bindings.keySet());
        ConfigLoader.reference().resolve(ConfigResolveOptions.noSystem()).entrySet()
                .forEach(e -> assertThat(keys).as("keys with a ${?VAR}").contains(e.getKey()));
        Map<String, String> exceptions = Map.of(
                "agentwire.auth.jwt.secret", "AGENTWIRE_JWT_SECRET",
                "agentwire.auth.jwt.issuer", "AGENTWIRE_JWT_ISSUER",
                "agentwire.auth.jwt.audience", "AGENTWIRE_JWT_AUDIENCE",
                "agentwire.auth.jwt.jwks", "AGENTWIRE_JWT_JWKS",
                "agentwire.auth.api-key", "AGENTWIRE_API_KEY");
        bindings.forEach((key, variable) -> assertThat(variable).as(key)
                .isEqualTo(exceptions.getOrDefault(key, key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))));
        assertThat(bindings.keySet().stream().filter(k -> !testOnly(k))).hasSize(165);
    }

    /** The keys of the test tree's example dialect (io.agentwire.dialect.shout), not shipped. */
    private static boolean testOnly(String key) {
        return key.startsWith("agentwire.shout.");
    }

    @Test
    void configurationDocListsEveryKeyAndVariable() throws IOException {
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc);
        EnvBindings.of(ConfigLoader.reference()).variableByKey().forEach((key, variable) -> {
            if (testOnly(key)) return;
            assertThat(text).as("docs/configuration.md mentions " + key).contains("`" + key + "`");
            assertThat(text).as("docs/configuration.md mentions " + variable).contains("`" + variable + "`");
        });
    }

    @Test
    void blankOptionalValuesCountAsUnset() throws IOException {
        AgentWireConfig c = AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_ISSUER", " "), Map.of("agentwire.dev", true));
        assertThat(c.auth().jwtIssuer()).isEqualTo(Optional.empty());
    }
}
