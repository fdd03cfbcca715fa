package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.store.SqliteStoreConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    @Test
    void devModeListensOnLoopbackUnlessAHostIsGiven() throws IOException {
        AgentWireConfig dev = AgentWireConfig.load(null, Map.of(), Map.of("agentwire.dev", true));
        assertThat(dev.http().host()).isEqualTo("127.0.0.1");
        assertThat(TestConfigs.tracking(dev).address().host()).isEqualTo("127.0.0.1");
        assertThat(TestConfigs.rooms(dev).address().host()).isEqualTo("127.0.0.1");
        assertThat(AgentWireConfig.load(null, Map.of("AGENTWIRE_DEV", "true"), Map.of()).http().host())
                .isEqualTo("127.0.0.1");
        assertThat(AgentWireConfig.load(null, Map.of(), Map.of("agentwire.dev", true, "agentwire.http.host", "0.0.0.0"))
                .http().host()).isEqualTo("0.0.0.0");
        assertThat(TestConfigs.tracking(AgentWireConfig.load(null, Map.of("AGENTWIRE_HTTP_HOST", "::"),
                Map.of("agentwire.dev", true))).address().host()).isEqualTo("::");
        assertThat(TestConfigs.devWithFile(dir, "agentwire.http.host = \"0.0.0.0\"", Map.of()).http().host())
                .isEqualTo("0.0.0.0");
        assertThat(TestConfigs.production(dir).http().host()).isEqualTo("127.0.0.1"); // the tests' own flag
        assertThat(AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET), Map.of()).http().host())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void fileOverridesReference() throws IOException {
        AgentWireConfig c = TestConfigs.devWithFile(dir, """
                agentwire {
                  http.port = 9001
                  envelope.heartbeat-interval = 10s
                  store.sqlite.synchronous = normal
                  agents.demo.confirm-plan = false
                }
                """, Map.of());
        assertThat(c.http().port()).isEqualTo(9001);
        assertThat(TestConfigs.envelope(c).heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.store().synchronous()).isEqualTo(SqliteStoreConfig.Synchronous.NORMAL);
        assertThat(c.agents().demo().confirmPlan()).isFalse();
        assertThat(TestConfigs.envelope(c).heartbeatTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void environmentOverridesFile() throws IOException {
        AgentWireConfig c = TestConfigs.devWithFile(dir, "agentwire.http.port = 9001\nagentwire.history.size = 5",
                Map.of("AGENTWIRE_HTTP_PORT", "9002", "AGENTWIRE_ENVELOPE_MAX_PAYLOAD", "64KiB"));
        assertThat(c.http().port()).isEqualTo(9002);
        assertThat(TestConfigs.envelope(c).maxPayloadBytes()).isEqualTo(64 * 1024);
        assertThat(c.history().size()).isEqualTo(5);
    }

    @Test
    void flagsOverrideEnvironmentAndFile() throws IOException {
        Path file = TestConfigs.file(dir, "agentwire { http.port = 9001, http.host = \"10.0.0.1\", data-dir = /f }");
        AgentWireConfig c = AgentWireConfig.load(file,
                Map.of("AGENTWIRE_HTTP_PORT", "9002", "AGENTWIRE_DATA_DIR", "/e", "AGENTWIRE_DEV", "true"),
                Map.of("agentwire.http.port", 9003, "agentwire.data-dir", "/flag"));
        assertThat(c.http().port()).isEqualTo(9003);
        assertThat(c.dataDir()).isEqualTo(Path.of("/flag"));
        assertThat(c.http().host()).isEqualTo("10.0.0.1");
        assertThat(c.dev()).isTrue();
    }

    @Test
    void environmentReachesSecretsAndOptionalKeys() {
        AgentWireConfig c = AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET,
                "AGENTWIRE_JWT_ISSUER", "https://issuer", "AGENTWIRE_JWT_AUDIENCE", "agentwire",
                "AGENTWIRE_API_KEY", "k"), Map.of());
        assertThat(c.auth().jwtIssuer()).contains("https://issuer");
        assertThat(c.auth().jwtAudience()).contains("agentwire");
        assertThat(c.auth().apiKey()).contains("k");
    }

    @Test
    void aFileMayUseItsOwnEnvironmentSubstitutions() throws IOException {
        AgentWireConfig c = TestConfigs.devWithFile(dir, "agentwire.http.port = ${?MY_PORT}",
                Map.of("MY_PORT", "7000"));
        assertThat(c.http().port()).isEqualTo(7000);
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        AgentWireConfig c = AgentWireConfig.load(null, Map.of("AGENTWIRE_HTTP_PORT", ""), Map.of("agentwire.dev", true));
        assertThat(c.http().port()).isEqualTo(8080);
    }

    @Test
    void variablesNotDeclaredInReferenceConfAreIgnored() {
        AgentWireConfig c = AgentWireConfig.load(null, Map.of("AGENTWIRE_HTTP_PORTS", "1"), Map.of("agentwire.dev", true));
        assertThat(c.http().port()).isEqualTo(8080);
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> AgentWireConfig.load(missing, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--config " + missing + ": no such file");
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLine() throws IOException {
        Path file = TestConfigs.file(dir, "agentwire {\n  http.port = \n}}");
        assertThatThrownBy(() -> AgentWireConfig.load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("agentwire.conf");
    }

    @Test
    void anUnknownKeyIsRefused() throws IOException {
        assertThatThrownBy(() -> TestConfigs.devWithFile(dir, "agentwire.htpp.port = 1", Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("agentwire.htpp.port: unknown key (")
                .hasMessageContaining("agentwire.conf: 1");
    }

    @Test
    void keysOutsideAgentwireAreLeftAlone() throws IOException {
        AgentWireConfig c = TestConfigs.devWithFile(dir, "other.tool.setting = 1", Map.of());
        assertThat(c.http().port()).isEqualTo(8080);
    }
}
