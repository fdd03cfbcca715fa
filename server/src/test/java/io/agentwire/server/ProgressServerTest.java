package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress dialect (spec 001) through the whole server, found by ServiceLoader with nothing in {@code server}
 * naming it: its own port, a turn of the demo agent driven by the official socket.io-client (the dialect's Node
 * harness, {@code dialect/src/test/js/progress}), the document's AgentClient, the REST API, and its banner line,
 * readiness check and metrics on the main port.
 */
@Tag("integration")
class ProgressServerTest {
    static final Path HARNESS = Path.of("..", "dialect", "src", "test", "js", "progress");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir Path dir;

    /**
     * Dev mode with the progress dialect on its own ephemeral port. Port 0 is one ephemeral port for the dialects that
     * ask for it: rooms serves /socket.io/ there too, tracking /api/ws/agent-tracking/*, so both are off.
     */
    static Map<String, Object> flags(Path dir) {
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true);
        flags.put("agentwire.progress.enabled", true);
        flags.put("agentwire.progress.port", 0);
        flags.put("agentwire.rooms.enabled", false);
        flags.put("agentwire.tracking.enabled", false);
        return flags;
    }

    private AgentWireServer server() {
        Map<String, Object> flags = flags(dir);
        flags.put("agentwire.agents.demo.step-delay", "10ms");
        AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, Map.of(), flags));
        s.start();
        return s;
    }

    static JsonNode harness(int port, String scenario, String v) throws Exception {
        return harness(port, scenario, v, Map.of());
    }

    static JsonNode harness(int port, String scenario, String v, Map<String, Object> more) throws Exception {
        if (!Files.isDirectory(HARNESS.resolve("node_modules").resolve("sio454"))) {
            throw new AssertionError("the progress harness is not installed: run `npm ci --prefix dialect/src/test/js/progress`");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base", "http://127.0.0.1:" + port);
        p.put("v", v);
        p.put("timeoutMs", 38_000);
        p.putAll(more);
        Process proc = new ProcessBuilder("node", "harness.mjs", scenario, JsonSocket.JSON.writeValueAsString(p))
                .directory(HARNESS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(40, TimeUnit.SECONDS)) throw new AssertionError(scenario + " did not finish");
            JsonNode r = JsonSocket.JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
            if (r == null || r.has("error") || proc.exitValue() != 0) throw new AssertionError(scenario + " failed: " + out);
            return r;
        } finally {
            proc.destroyForcibly();
        }
    }

    static String get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aTurnOfTheDefaultAgentOverTheProgressPortAndItsReportsOnTheMainPort() throws Exception {
        try (AgentWireServer s = server()) {
            int port = s.port("progress");
            assertThat(port).isPositive().isNotEqualTo(s.port());
            JsonNode r = harness(port, "run", "454");
            List<String> names = new ArrayList<>();
            r.path("first").forEach(e -> names.add(e.path("event").asText().equals("agent_event")
                    ? e.path("payload").path("event_type").asText() : e.path("event").asText()));
            assertThat(names.getFirst()).isEqualTo("planning_query");
            assertThat(names.subList(names.size() - 4, names.size()))
                    .containsExactly("complete", "query_complete", "session_memory", "tool_count");
            assertThat(r.path("messages").path("body").path("count").asInt()).isEqualTo(4);

            JsonNode client = harness(port, "agentClient", "48");
            assertThat(client.path("flow").path("complete").path("success").asBoolean()).isTrue();

            assertThat(JsonSocket.JSON.readTree(get(port, "/api/tools")).path("count").asInt()).isZero();
            assertThat(get(s.port(), "/readyz")).contains("progress");
            assertThat(get(s.port(), "/metrics")).contains("agentwire_progress_queries_total 3");
            harness(port, "errors", "454"); // four refused queries: no prompt (twice), no session (twice)
            Scrape m = Scrape.of(s.port());
            m.assertTraffic("progress");
            assertThat(m.errors("progress", "MISSING_FIELD")).isEqualTo(2);
            assertThat(m.errors("progress", "SESSION_REQUIRED")).isEqualTo(2);
            assertThat(s.banner().text()).contains("progress").contains(":" + port + "/socket.io/");
        }
    }
}
