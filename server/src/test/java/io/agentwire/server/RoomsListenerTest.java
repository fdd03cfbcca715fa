package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
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
 * Specs 002 and 004 both live on port 8000: the tracking and rooms dialects share one listener when configured on the
 * same host and port (each keeping its own message limit), get one each on different ports, and each can be turned
 * off alone.
 */
@Tag("integration")
class RoomsListenerTest {
    @TempDir Path dir;

    private AgentWireServer server(Map<String, Object> more) {
        AgentWireServer s = new AgentWireServer(TestConfigs.production(dir, RoomsServerTest.KEY, more));
        s.start();
        return s;
    }

    private static JsonNode roomsClient(int port) throws Exception {
        Map<String, Object> p = RoomsHarness.params(port, RoomsServerTest.KEY);
        p.put("tokens", Map.of("alice", TestTokens.hs256("alice")));
        return RoomsHarness.run("tokens", p, RoomsServerTest.LIMIT).path("alice");
    }

    private static int stats(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/websocket/stats"))
                .header("X-API-Key", RoomsServerTest.KEY).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    @Test
    void onTheSamePortBothDialectsShareOneListenerEachWithItsOwnLimit() throws Exception {
        int free = DialectSpiTest.freePort();
        try (AgentWireServer s = server(Map.of("agentwire.rooms.port", free, "agentwire.tracking.port", free))) {
            assertThat(s.port("rooms")).isPositive().isEqualTo(s.port("tracking")).isNotEqualTo(s.port());
            assertThat(roomsClient(s.port("rooms")).path("accepted").asBoolean()).isTrue();
            assertThat(stats(s.port("rooms"))).isEqualTo(200);
            try (JsonSocket dashboard = JsonSocket.dashboard(s.port("tracking"), "client_1700000000001_aaa")) {
                dashboard.awaitType("active_sessions");
                dashboard.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100 * 1024) + "\"}"); // over tracking's 64 KiB
                assertThat(dashboard.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
            }
        }
    }

    @Test
    void onDifferentPortsEachHasItsOwnListener() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        try (AgentWireServer s = server(Map.of("agentwire.rooms.port", free))) {
            assertThat(s.port("rooms")).isEqualTo(free);
            assertThat(s.port("tracking")).isPositive().isNotEqualTo(free);
            assertThat(roomsClient(free).path("accepted").asBoolean()).isTrue();
            try (JsonSocket dashboard = JsonSocket.dashboard(s.port("tracking"), "client_1700000000001_aaa")) {
                dashboard.awaitType("active_sessions");
            }
        }
    }

    @Test
    void eitherDialectCanBeTurnedOffAlone() throws Exception {
        try (AgentWireServer s = server(Map.of("agentwire.rooms.enabled", false))) {
            assertThat(s.port("rooms")).isEqualTo(-1);
            try (JsonSocket dashboard = JsonSocket.dashboard(s.port("tracking"), "client_1700000000001_aaa")) {
                dashboard.awaitType("active_sessions");
            }
            assertThat(stats(s.port())).isEqualTo(404);
        }
        try (AgentWireServer s = server(Map.of("agentwire.tracking.enabled", false))) {
            assertThat(s.port("tracking")).isEqualTo(-1);
            assertThat(s.port("rooms")).isPositive();
            assertThat(roomsClient(s.port("rooms")).path("accepted").asBoolean()).isTrue();
            assertThat(stats(s.port())).isEqualTo(200);
        }
    }
}
