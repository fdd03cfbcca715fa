package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.dialect.rooms.RoomsConfig;
import io.agentwire.transport.engineio.EngineIoConfig;
import io.agentwire.transport.socketio.AdminUiSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code agentwire.rooms} keys and {@code agentwire.auth.jwt.jwks}: defaults, layers, refusals, the banner. */
@Tag("integration")
class RoomsConfigTest {
    @TempDir Path dir;

    private static AgentWireConfig dev(Map<String, String> env, Map<String, Object> flags) {
        Map<String, Object> all = new java.util.HashMap<>(flags);
        all.put("agentwire.dev", true);
        return AgentWireConfig.load(null, env, all);
    }

    @Test
    void keysAndEnvironmentVariablesReachTheDialectAndItsSocketIoServer() {
        AgentWireConfig c = dev(Map.of("AGENTWIRE_ROOMS_PORT", "9100", "AGENTWIRE_ROOMS_NAMESPACE", "/events",
                "AGENTWIRE_ROOMS_PATH", "/rt/", "AGENTWIRE_ROOMS_MAX_PAYLOAD", "2MB", "AGENTWIRE_ROOMS_PING_INTERVAL", "10s",
                "AGENTWIRE_ROOMS_PING_TIMEOUT", "5s", "AGENTWIRE_ROOMS_PROJECTS_CLAIM", "teams",
                "AGENTWIRE_ROOMS_CORS_ORIGINS", "https://app.example.com, http://localhost:3000",
                "AGENTWIRE_ROOMS_RECOVERY_ENABLED", "false", "AGENTWIRE_ROOMS_RECOVERY_MAX_DISCONNECTION", "30s"),
                Map.of("agentwire.http.host", "127.0.0.1"));
        assertThat(TestConfigs.rooms(c).address().host()).isEqualTo("127.0.0.1"); // follows the HTTP host
        assertThat(TestConfigs.rooms(c).address().port()).isEqualTo(9100);
        RoomsConfig r = TestConfigs.rooms(c).dialect();
        assertThat(r.namespace()).isEqualTo("/events");
        assertThat(r.projectsClaim()).isEqualTo("teams");
        EngineIoConfig e = r.socketIo().engineIo();
        assertThat(e.path()).isEqualTo("/rt/");
        assertThat(e.maxPayload()).isEqualTo(2_000_000);
        assertThat(e.pingInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.pingTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(e.cors().origins()).containsExactly("https://app.example.com", "http://localhost:3000");
        assertThat(r.socketIo().recovery().enabled()).isFalse();
        assertThat(r.socketIo().recovery().maxDisconnectionDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.socketIo().name()).isEqualTo("rooms");
        assertThat(r.socketIo().adminUi()).isEqualTo(AdminUiSettings.DISABLED);
        AdminUiSettings admin = TestConfigs.rooms(dev(Map.of("AGENTWIRE_ROOMS_ADMIN_UI_ENABLED", "true",
                "AGENTWIRE_ROOMS_ADMIN_UI_READONLY", "true", "AGENTWIRE_ROOMS_ADMIN_UI_MODE", "production"), Map.of()))
                .dialect().socketIo().adminUi();
        assertThat(admin).isEqualTo(new AdminUiSettings(true, true, false, "/admin"));
        assertThat(TestConfigs.rooms(c).address()).isNotEqualTo(TestConfigs.tracking(c).address()); // 9100 vs 8000
        assertThat(TestConfigs.rooms(dev(Map.of("AGENTWIRE_ROOMS_CORS_ORIGINS", "*"), Map.of())).dialect().socketIo().engineIo()
                .cors().origins()).containsExactly("*");
    }

    @Test
    void theTrackingAndRoomsDialectsAskForTheSameAddressByDefault() {
        AgentWireConfig c = dev(Map.of(), Map.of());
        assertThat(TestConfigs.rooms(c).address()).isEqualTo(TestConfigs.tracking(c).address());
        c = dev(Map.of("AGENTWIRE_ROOMS_HOST", "0.0.0.0"), Map.of());
        assertThat(TestConfigs.rooms(c).address()).isNotEqualTo(TestConfigs.tracking(c).address());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rooms.port = 70000                    | agentwire.rooms.port: port must be 0..65535, was 70000
            rooms.namespace = ws                  | agentwire.rooms.namespace: namespace must start with '/' and hold no ',', was ws
            rooms.projects-claim = " "            | agentwire.rooms.projects-claim: projects claim must not be blank
            rooms.path = "socket.io"              | agentwire.rooms.path: invalid path socket.io
            rooms.max-payload = 10                | agentwire.rooms.max-payload: maxPayload must be at least 64 bytes, was 10
            rooms.ping-interval = 0s              | agentwire.rooms.ping-interval: pingInterval must be positive, was 0s
            rooms.recovery.max-disconnection = 0s | agentwire.rooms.recovery.max-disconnection: maxDisconnectionDuration must be positive
            rooms.enabled = maybe                 | agentwire.rooms.enabled
            rooms.admin-ui.mode = debug           | agentwire.rooms.admin-ui.mode: must be development or production
            rooms.admin-ui.enabled = sure         | agentwire.rooms.admin-ui.enabled
            rooms.typo = 1                        | agentwire.rooms.typo: unknown key
            """)
    void aBadRoomsValueIsReportedUnderItsKey(String hocon, String message) {
        assertThatThrownBy(() -> TestConfigs.devWithFile(dir, "agentwire." + hocon, Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theRoomsPortMayBeTheHttpPort() {
        AgentWireConfig c = dev(Map.of("AGENTWIRE_HTTP_PORT", "9000", "AGENTWIRE_ROOMS_PORT", "9000"), Map.of());
        assertThat(TestConfigs.rooms(c).address().port()).isEqualTo(c.http().port()); // one listener, two path sets
    }

    @Test
    void aJwksIsReadInlineOrFromAFileAndReplacesTheSecretRequirement() throws Exception {
        AgentWireConfig inline = AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_JWKS", TestTokens.JWKS), Map.of());
        assertThat(inline.dev()).isFalse();
        assertThat(inline.auth().jwtSecret()).isEmpty();
        assertThat(inline.auth().jwtJwks().orElseThrow().getKeys()).hasSize(2);
        Path file = Files.writeString(dir.resolve("jwks.json"), TestTokens.JWKS);
        AgentWireConfig fromFile = AgentWireConfig.load(null, Map.of(), Map.of("agentwire.auth.jwt.jwks", file.toString()));
        assertThat(fromFile.auth().jwtJwks().orElseThrow().getKeys().get(0).getKeyID()).isEqualTo("rsa-1");
        // a JWKS with private keys is reduced to the public ones
        String withPrivate = new com.nimbusds.jose.jwk.JWKSet(List.of(TestTokens.RSA)).toString(false);
        AgentWireConfig reduced = AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_JWKS", withPrivate), Map.of());
        assertThat(reduced.auth().jwtJwks().orElseThrow().getKeys().get(0).isPrivate()).isFalse();
        assertThat(reduced.toString()).contains("jwks=1 keys");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {not json                                        | agentwire.auth.jwt.jwks: not a valid JWKS
            /no/such/jwks.json                               | agentwire.auth.jwt.jwks: can not read the JWKS file /no/such/jwks.json
            {"keys":[]}                                      | agentwire.auth.jwt.jwks: the JWKS holds no key
            {"keys":[{"kty":"oct","kid":"s","k":"c2VjcmV0"}]} | agentwire.auth.jwt.jwks: the JWKS may hold RSA and EC public keys only, not oct (kid s)
            """)
    void aBadJwksIsRefusedUnderItsKey(String jwks, String message) {
        assertThatThrownBy(() -> AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_JWKS", jwks), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theBannerShowsTheRoomsEndpointAndItsApi() {
        AgentWireConfig config = TestConfigs.dev(dir);
        try (AgentWireServer s = new AgentWireServer(config)) {
            s.start();
            int rooms = s.port("rooms");
            assertThat(s.banner().text()).contains("  rooms         http://127.0.0.1:" + rooms + "/ws  (Socket.IO, path /socket.io/)")
                    .contains("  rooms api     http://127.0.0.1:" + rooms + "/api/v1/events  /api/v1/websocket/stats  "
                            + "/api/v1/access/…  (also on :" + s.port() + ")");
            DevCredentials dev = DevCredentials.resolve(config, java.time.Clock.systemUTC());
            assertThat(s.banner().devText(dev)).containsPattern("  try rooms     io\\(\"http://127.0.0.1:" + rooms
                    + "/ws\", \\{auth: \\{token: \"[^\"]+\"}}\\)");
        }
    }
}
