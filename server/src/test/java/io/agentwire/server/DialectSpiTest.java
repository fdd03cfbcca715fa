package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialect SPI end to end with the test-only {@code shout} dialect (io.agentwire.dialect.shout in the test tree,
 * registered by a service file in the test resources): found, configured from its own reference.conf fragment,
 * served, its banner line, metric and readiness check shown — with no line of {@code server} naming it. And the
 * listener rule: dialects on one host and port share one listener; overlapping paths stop the start naming both.
 */
@Tag("integration")
class DialectSpiTest {
    @TempDir Path dir;

    private AgentWireConfig config(Map<String, Object> more) {
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true);
        flags.put("agentwire.shout.enabled", true);
        flags.putAll(more);
        return AgentWireConfig.load(null, Map.of(), flags);
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void aDialectFromTheClassPathIsConfiguredServedAndReported() throws Exception {
        AgentWireConfig c = config(Map.of("agentwire.shout.port", 0, "agentwire.shout.host", "127.0.0.1"));
        assertThat(c.dialects()).extracting(DialectSettings::name).contains("shout");
        try (AgentWireServer s = new AgentWireServer(c)) {
            s.start();
            int port = s.port("shout");
            assertThat(port).isPositive();
            try (JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/shout"))) {
                ws.send("{\"say\":\"hello\"}");
                JsonNode answer = ws.inbox.poll(10, TimeUnit.SECONDS);
                assertThat(answer).isNotNull();
                assertThat(answer.path("SAY").asText()).isEqualTo("HELLO");
            }
            assertThat(s.banner().text()).contains("  shout         ws://127.0.0.1:" + port + "/shout");
            assertThat(get(s.port(), "/metrics")).startsWith("200").contains("agentwire_shout_messages_total 1.0");
            assertThat(get(s.port(), "/readyz")).startsWith("200").contains("\"shout\"");
            assertThat(get(s.port(), "/api/v1/shout/count")).isEqualTo("200 {\"shouted\":1}");
        }
    }

    @Test
    void dialectsOnOneHostAndPortShareOneListener() throws Exception {
        int free = freePort(); // port 0 would give each its own free port
        try (AgentWireServer s = new AgentWireServer(config(Map.of("agentwire.shout.port", free,
                "agentwire.tracking.port", free, "agentwire.rooms.port", free)))) {
            s.start();
            assertThat(s.port("shout")).isPositive().isEqualTo(s.port("tracking")).isEqualTo(s.port("rooms"));
            try (JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + s.port("shout") + "/shout"));
                 JsonSocket dashboard = JsonSocket.dashboard(s.port("tracking"), "client_1700000000001_aaa")) {
                ws.send("{\"a\":\"b\"}");
                assertThat(ws.inbox.poll(10, TimeUnit.SECONDS).path("A").asText()).isEqualTo("B");
                dashboard.awaitType("active_sessions");
            }
        }
    }

    @Test
    void overlappingPathsOnOneAddressStopTheStartNamingBoth() throws Exception {
        int free = freePort();
        try (AgentWireServer s = new AgentWireServer(config(Map.of("agentwire.shout.port", free,
                "agentwire.rooms.port", free, "agentwire.shout.path", "/socket.io/")))) {
            assertThatThrownBy(s::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining("agentwire.rooms").hasMessageContaining("agentwire.shout")
                    .hasMessageContaining("/socket.io/");
            assertThat(s.port()).isEqualTo(-1);
        }
    }

    @Test
    void dialectsOnPortZeroGetAFreePortEach() throws Exception {
        // TestConfigs puts tracking and rooms on 127.0.0.1:0; shout too: three listeners, three ports
        try (AgentWireServer s = new AgentWireServer(config(Map.of("agentwire.shout.port", 0)))) {
            s.start();
            assertThat(java.util.Set.of(s.port("shout"), s.port("tracking"), s.port("rooms"), s.port())).hasSize(4);
        }
    }

    /** A port free a moment ago (for tests that need two dialects on one known port). */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void aBadValueOfADialectIsRefusedUnderItsKey() {
        assertThatThrownBy(() -> config(Map.of("agentwire.shout.path", "shout")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agentwire.shout.path: must start with '/', was shout (command line)");
        assertThatThrownBy(() -> config(Map.of("agentwire.shout.typo", 1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.shout.typo: unknown key");
    }
}
