package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.dialect.tracking.TrackingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code agentwire.tracking} keys: defaults, layers, and refusals under their key. */
@Tag("integration")
class TrackingConfigTest {
    @TempDir Path dir;

    @Test
    void theTrackingHostFollowsTheHttpHostUnlessSetAndEnvironmentVariablesApply() {
        AgentWireConfig c = AgentWireConfig.load(null, Map.of(), Map.of("agentwire.dev", true, "agentwire.http.host", "127.0.0.1"));
        assertThat(TestConfigs.tracking(c).address().host()).isEqualTo("127.0.0.1");
        assertThat(TestConfigs.tracking(c).dialect().maxPayloadBytes()).isEqualTo(64 * 1024);
        c = AgentWireConfig.load(null, Map.of("AGENTWIRE_TRACKING_HOST", "0.0.0.0", "AGENTWIRE_TRACKING_PORT", "9000",
                "AGENTWIRE_TRACKING_CLIENT_ID_PATTERN", "[a-z0-9-]+", "AGENTWIRE_TRACKING_RATE_LIMIT_MESSAGES", "120",
                "AGENTWIRE_TRACKING_PONG_TIMEOUT", "2m", "AGENTWIRE_TRACKING_ENABLED", "false"),
                Map.of("agentwire.dev", true, "agentwire.http.host", "127.0.0.1"));
        assertThat(TestConfigs.tracking(c).address().host()).isEqualTo("0.0.0.0");
        assertThat(TestConfigs.tracking(c).address().port()).isEqualTo(9000);
        assertThat(c.dialectEnabled("tracking")).isFalse();
        TrackingConfig t = TestConfigs.tracking(c).dialect();
        assertThat(t.clientIdPattern()).isEqualTo("[a-z0-9-]+");
        assertThat(t.rateLimitMessages()).isEqualTo(120);
        assertThat(t.pongTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.clientIds().matcher("client_1642678200123_k3j9x2").matches()).isFalse();
    }

    @Test
    void theDefaultClientIdCheckAcceptsAnySafeIdAndSpec002sStrictOneIsAConfiguration() {
        AgentWireConfig c = AgentWireConfig.load(null, Map.of(), Map.of("agentwire.dev", true));
        TrackingConfig t = TestConfigs.tracking(c).dialect();
        assertThat(t.clientIdPattern()).isEqualTo(TrackingConfig.SAFE_CLIENT_ID_PATTERN);
        for (String ok : new String[] {"client_1642678200123_k3j9x2ab1", "client-123", "client_1642678200123",
                "agent_chat_1764680000000_k3j9x2ab1", "a", "x".repeat(128), "a.b:c-d_e"}) {
            assertThat(t.clientIds().matcher(ok).matches()).as(ok).isTrue();
        }
        for (String bad : new String[] {"", "x".repeat(129), "a b", "a/b", "a%20b", "é", "a?b"}) {
            assertThat(t.clientIds().matcher(bad).matches()).as(bad).isFalse();
        }
        AgentWireConfig strict = AgentWireConfig.load(null, Map.of("AGENTWIRE_TRACKING_CLIENT_ID_PATTERN",
                TrackingConfig.DOCUMENTED_CLIENT_ID_PATTERN), Map.of("agentwire.dev", true));
        assertThat(TestConfigs.tracking(strict).dialect().clientIds().matcher("client-123").matches()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tracking.port = 70000                      | agentwire.tracking.port: port must be 0..65535, was 70000
            tracking.ping-interval = 0s                | agentwire.tracking.ping-interval: ping interval must be > 0, was 0s
            tracking.pong-timeout = 10s                | agentwire.tracking.pong-timeout: pong timeout (PT10S) must be longer than the ping interval (PT30S)
            tracking.rate-limit.messages = 0           | agentwire.tracking.rate-limit.messages: rate limit must be >= 1 message, was 0
            tracking.rate-limit.window = 0s            | agentwire.tracking.rate-limit.window: rate limit window must be > 0, was 0s
            tracking.max-payload = 512                 | agentwire.tracking.max-payload: max payload must be >= 1024 bytes, was 512
            tracking.log-lines = 0                     | agentwire.tracking.log-lines: log lines per session must be 1..100000, was 0
            tracking.session-retention = 0s            | agentwire.tracking.session-retention: session retention must be > 0, was 0s
            tracking.max-sessions = 0                  | agentwire.tracking.max-sessions: max sessions must be 1..100000, was 0
            tracking.enabled = maybe                   | agentwire.tracking.enabled
            tracking.typo = 1                          | agentwire.tracking.typo: unknown key
            """)
    void aBadTrackingValueIsReportedUnderItsKey(String hocon, String message) {
        assertThatThrownBy(() -> TestConfigs.devWithFile(dir, "agentwire." + hocon, Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(message);
    }

    @Test
    void anInvalidPatternIsRefusedAndThePortOfTheHttpServerIsShared() throws IOException {
        assertThatThrownBy(() -> TestConfigs.devWithFile(dir, "agentwire.tracking.client-id-pattern = \"client_[\"", Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("agentwire.tracking.client-id-pattern: client id pattern is not a valid regular expression");
        // one address for both: the tracking endpoint joins the HTTP port's listener (their paths do not overlap)
        AgentWireConfig same = TestConfigs.devWithFile(dir, "agentwire { http.port = 9000, tracking.port = 9000 }", Map.of());
        assertThat(TestConfigs.tracking(same).address().port()).isEqualTo(same.http().port());
        AgentWireConfig off = TestConfigs.devWithFile(dir, "agentwire { http.port = 9000, tracking { port = 9000, enabled = false } }", Map.of());
        assertThat(off.dialectEnabled("tracking")).isFalse();
    }

    @Test
    void theBannerShowsTheTrackingPortAndItsApi() {
        try (AgentWireServer s = new AgentWireServer(TestConfigs.dev(dir))) {
            s.start();
            assertThat(s.banner().text()).contains("  tracking      ws://127.0.0.1:" + s.port("tracking")
                            + "/ws/agent-tracking/{client_id}")
                    .contains("  tracking api  http://127.0.0.1:" + s.port() + "/api/v1/tracking/{agent-status,collaboration,logs}");
        }
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true);
        flags.put("agentwire.tracking.enabled", false);
        try (AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, Map.of(), flags))) {
            s.start();
            assertThat(s.banner().text()).doesNotContain("tracking");
        }
    }
}
