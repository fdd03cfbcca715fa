package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh dialect (spec 003, MXF) as the whole server serves it — found by ServiceLoader, its port, its admin API on
 * the main port, its durable streams — driven by the dialect's socket.io-client harness
 * ({@code dialect/src/test/js/mesh}, the official client), including a restart of the server on the same data.
 */
@Tag("integration")
class MeshServerTest {
    static final String KEY = "mesh-test-api-key-0123456789abcdef";
    static final String DOMAIN = "mesh-domain-key";
    static final Path DIR = Path.of("..", "dialect", "src", "test", "js", "mesh");

    @TempDir Path dir;

    private AgentWireServer server() {
        AgentWireServer s = new AgentWireServer(TestConfigs.production(dir, KEY, Map.of("agentwire.mesh.domain-key", DOMAIN,
                "agentwire.mesh.enabled", true, "agentwire.mesh.port", 0, "agentwire.rooms.enabled", false)));
        s.start();
        return s;
    }

    static JsonNode run(AgentWireServer s, String scenario, Map<String, Object> extra) throws Exception {
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + DIR.toAbsolutePath()
                    + ": run `npm ci --prefix dialect/src/test/js/mesh` first");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base", "http://127.0.0.1:" + s.port("mesh"));
        p.put("api", "http://127.0.0.1:" + s.port());
        p.put("apiKey", KEY);
        p.put("domainKey", DOMAIN);
        p.put("jwt", TestTokens.hs256("jwt-user"));
        p.put("timeoutMs", 40_000);
        p.putAll(extra);
        Process proc = new ProcessBuilder("node", "harness.mjs", scenario, JsonSocket.JSON.writeValueAsString(p))
                .directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            byte[] out = proc.getInputStream().readAllBytes();
            assertThat(proc.waitFor(45, TimeUnit.SECONDS)).as("harness finished").isTrue();
            String text = new String(out, StandardCharsets.UTF_8).trim();
            JsonNode r = JsonSocket.JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
            assertThat(r.has("error")).as(text).isFalse();
            assertThat(r.path("failures").size()).as(text).isZero();
            return r;
        } finally {
            proc.destroyForcibly();
        }
    }

    @Test
    void authenticationAndChannelMessagesThroughTheServer() throws Exception {
        try (AgentWireServer s = server()) {
            run(s, "auth", Map.of());
            run(s, "messages", Map.of());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.port("mesh") + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JsonSocket.JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("agentwire_mesh_messages");
            Scrape m = new Scrape(metrics.body());
            m.assertTraffic("mesh");
            assertThat(m.acks("mesh", "out")).isPositive();
            assertThat(m.errors("mesh", "AUTH_FAILED")).as("layer 2's refusals").isPositive();
            assertThat(m.value("agentwire_mesh_requests_total{dialect=\"mesh\",family=\"message\"}")).isPositive();
        }
    }

    @Test
    void aRestartOfTheServerKeepsUsersKeysChannelsTasksAndMemory() throws Exception {
        JsonNode before;
        try (AgentWireServer s = server()) {
            before = run(s, "restart", Map.of("phase", "before"));
        }
        try (AgentWireServer s = server()) {
            JsonNode out = before.path("out");
            run(s, "restart", Map.of("phase", "after", "key", out.path("key"), "taskId", out.path("taskId").asText(),
                    "channel", out.path("channel").asText()));
        }
    }
}
