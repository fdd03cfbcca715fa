package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracking dialect through the whole server: its port, its HTTP API for backends, envelope runs feeding it. */
@Tag("integration")
class TrackingServerTest {
    static final String KEY = "tracking-test-api-key-0123456789";

    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AgentWireConfig config(Map<String, Object> more, boolean withKey) {
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.agents.demo.step-delay", "5ms");
        flags.put("agentwire.agents.demo.confirm-plan", false);
        flags.putAll(more);
        Map<String, String> env = new HashMap<>(Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET));
        if (withKey) env.put("AGENTWIRE_API_KEY", KEY);
        return AgentWireConfig.load(null, env, flags);
    }

    private HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonSocket.JSON.readTree(r.body());
    }

    @Test
    void aBackendsStatusAndCollaborationReachEveryDashboard() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(Map.of(), true))) {
            int port = server.start();
            assertThat(server.port("tracking")).isPositive().isNotEqualTo(port);
            try (JsonSocket a = JsonSocket.dashboard(server.port("tracking"), "client_1700000000001_aaa");
                 JsonSocket b = JsonSocket.dashboard(server.port("tracking"), "client_1700000000002_bbb")) {
                for (JsonSocket d : List.of(a, b)) d.awaitType("active_sessions");

                HttpResponse<String> r = post(port, "/api/v1/tracking/agent-status", """
                        {"agent_id":"agent-uuid","agent_name":"Technical Integration Specialist","status":"PROCESSING",
                         "progress":65,"message":"Analyzing webhook signature validation...",
                         "metadata":{"task_id":"task-uuid","estimated_completion":30},
                         "session_id":"session_abc123","query":"How do I fix webhook errors?"}""",
                        "X-API-Key", KEY, "Content-Type", "application/json");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                assertThat(json(r).path("dashboards").asInt()).isEqualTo(2);
                for (JsonSocket d : List.of(a, b)) {
                    JsonNode s = d.awaitType("agent_status");
                    assertThat(s.path("agent_id").asText()).isEqualTo("agent-uuid");
                    assertThat(s.path("agent_name").asText()).isEqualTo("Technical Integration Specialist");
                    assertThat(s.path("status").asText()).isEqualTo("PROCESSING");
                    assertThat(s.path("progress").asInt()).isEqualTo(65);
                    assertThat(s.path("message").asText()).isEqualTo("Analyzing webhook signature validation...");
                    assertThat(s.path("timestamp").asText()).endsWith("Z");
                    assertThat(s.path("metadata").path("estimated_completion").asInt()).isEqualTo(30);
                    JsonNode sessions = d.awaitType("active_sessions").path("data");
                    assertThat(sessions.path("total_sessions").asInt()).isEqualTo(1);
                    assertThat(sessions.path("sessions").get(0).toString()).isEqualTo("{\"session_id\":\"session_abc123\","
                            + "\"query\":\"How do I fix webhook errors?\",\"status\":\"processing\",\"agents_active\":1}");
                }

                r = post(port, "/api/v1/tracking/collaboration", """
                        {"primary_agent":"Technical Integration Specialist","secondary_agent":"Security Specialist",
                         "collaboration_type":"handoff","reason":"Requires security expertise","session_id":"session_abc123"}""",
                        "Authorization", "Bearer " + KEY);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                for (JsonSocket d : List.of(a, b)) {
                    JsonNode c = d.awaitType("agent_collaboration");
                    assertThat(c.path("primary_agent").asText()).isEqualTo("Technical Integration Specialist");
                    assertThat(c.path("secondary_agent").asText()).isEqualTo("Security Specialist");
                    assertThat(c.path("collaboration_type").asText()).isEqualTo("handoff");
                    assertThat(c.path("reason").asText()).isEqualTo("Requires security expertise");
                    assertThat(c.path("timestamp").asText()).endsWith("Z");
                }

                a.send("{\"type\":\"start_log_streaming\",\"session_id\":\"session_abc123\"}");
                a.send("{\"type\":\"get_session_state\",\"session_id\":\"session_abc123\"}");
                JsonNode state = a.awaitType("session_state").path("state");
                assertThat(state.path("overall_progress").asInt()).isEqualTo(65);
                assertThat(state.path("current_phase").asText()).isEqualTo("processing");
                assertThat(state.path("active_agents").get(0).path("current_task").asText())
                        .isEqualTo("Analyzing webhook signature validation...");
                r = post(port, "/api/v1/tracking/logs", """
                        {"session_id":"session_abc123","logs":[{"level":"info","agent":"Security Specialist",
                         "message":"Starting webhook analysis","details":{}}]}""", "X-API-Key", KEY);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                assertThat(json(r).path("dashboards").asInt()).isEqualTo(1); // only a streams this session
                JsonNode live = a.awaitType("session_logs");
                assertThat(live.path("logs").get(0).path("message").asText()).isEqualTo("Starting webhook analysis");
                a.send("{\"type\":\"get_session_logs\",\"session_id\":\"session_abc123\"}");
                List<String> lines = a.awaitType("session_logs").path("logs").findValuesAsText("message");
                assertThat(lines).containsExactly(
                        "Technical Integration Specialist → Security Specialist (handoff): Requires security expertise",
                        "Starting webhook analysis");
            }
        }
    }

    @Test
    void badPayloadsAre400NamingTheFieldAndAMissingOrWrongKeyIs401() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(Map.of(), true))) {
            int port = server.start();
            String[][] cases = {
                    {"/api/v1/tracking/agent-status", "{\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":0}", "MISSING_FIELD", "agent_id"},
                    {"/api/v1/tracking/agent-status", "{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"BUSY\",\"progress\":0}", "INVALID_FIELD", "status"},
                    {"/api/v1/tracking/agent-status", "{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":150}", "INVALID_FIELD", "progress"},
                    {"/api/v1/tracking/collaboration", "{\"primary_agent\":\"A\",\"secondary_agent\":\"B\"}", "MISSING_FIELD", "collaboration_type"},
                    {"/api/v1/tracking/logs", "{\"session_id\":\"s\",\"logs\":[{\"message\":\"ok\"},{\"level\":\"info\"}]}", "MISSING_FIELD", "logs[1].message"},
                    {"/api/v1/tracking/logs", "[]", "INVALID_MESSAGE", null},
                    {"/api/v1/tracking/logs", "{\"session_id\":", "INVALID_JSON", null},
                    {"/api/v1/tracking/logs", "", "INVALID_JSON", null},
                    {"/api/v1/tracking/logs", "{\"session_id\":\"s\",\"session_id\":\"t\",\"logs\":[]}", "INVALID_JSON", null},
            };
            for (String[] k : cases) {
                HttpResponse<String> r = post(port, k[0], k[1], "X-API-Key", KEY);
                assertThat(r.statusCode()).as(k[1]).isEqualTo(400);
                JsonNode error = json(r).path("error");
                assertThat(error.path("code").asText()).as(k[1]).isEqualTo(k[2]);
                assertThat(error.path("message").asText()).as(k[1]).isNotBlank();
                if (k[3] != null) assertThat(error.path("field").asText()).as(k[1]).isEqualTo(k[3]);
                else assertThat(error.has("field")).as(k[1]).isFalse();
            }
            String valid = "{\"agent_id\":\"a\",\"agent_name\":\"A\",\"status\":\"IDLE\",\"progress\":0}";
            HttpResponse<String> noKey = post(port, "/api/v1/tracking/agent-status", valid);
            assertThat(noKey.statusCode()).isEqualTo(401);
            assertThat(json(noKey).path("error").path("code").asText()).isEqualTo("AUTH_MISSING");
            HttpResponse<String> wrong = post(port, "/api/v1/tracking/agent-status", valid, "X-API-Key", "not-the-key");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(json(wrong).path("error").path("code").asText()).isEqualTo("AUTH_FAILED");
            assertThat(wrong.body()).doesNotContain(KEY).doesNotContain("not-the-key");
            HttpResponse<String> noKeyNoBody = post(port, "/api/v1/tracking/agent-status", "{", "Authorization", "Bearer nope");
            assertThat(noKeyNoBody.statusCode()).as("the key is checked before the body").isEqualTo(401);
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/tracking/agent-status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
        }
        try (AgentWireServer keyless = new AgentWireServer(config(Map.of(), false))) {
            int port = keyless.start();
            HttpResponse<String> r = post(port, "/api/v1/tracking/logs", "{}", "X-API-Key", "anything");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json(r).path("error").path("message").asText()).contains("no API key is configured");
        }
    }

    @Test
    void anEnvelopeRunOnTheServerIsSeenOnTheTrackingPort() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(Map.of(), true))) {
            int port = server.start();
            try (JsonSocket dash = JsonSocket.dashboard(server.port("tracking"), "client_1700000000003_ccc");
                 JsonSocket user = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token("alice")))) {
                dash.awaitType("active_sessions");
                user.awaitEvent("system.connected");
                user.send("{\"event\":\"user.create_session\"}");
                String sid = user.awaitEvent("agent.session_created").path("content").path("session_id").asText();
                user.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"Hello tracking\"}}");
                JsonNode done = dash.await(n -> n.path("type").asText().equals("agent_status")
                        && n.path("status").asText().equals("COMPLETED"), "COMPLETED");
                assertThat(done.path("progress").asInt()).isEqualTo(100);
                assertThat(done.path("agent_name").asText()).isEqualTo("demo");
                assertThat(done.path("metadata").path("session_id").asText()).isEqualTo(sid);
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).contains("agentwire_tracking_connections 1.0", "agentwire_tracking_sessions 1.0");
                dash.send("{\"type\":\"get_session_state\",\"session_id\":\"no-such-session\"}");
                assertThat(dash.awaitType("error").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
                // the wire series, dialect="tracking": the run's statuses and log lines delivered to the dashboard
                Scrape m = Scrape.of(port);
                m.assertTraffic("tracking");
                assertThat(m.errors("tracking", "SESSION_NOT_FOUND")).isEqualTo(1);
                assertThat(m.wire("agentwire_deliveries_total", "tracking")).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void tokensCanBeRequiredAndTheDialectCanBeTurnedOff() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(Map.of("agentwire.tracking.require-token", true), true))) {
            server.start();
            assertThatThrownBy(() -> JsonSocket.dashboard(server.port("tracking"), "client_1_abc"))
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
            try (JsonSocket d = JsonSocket.dashboard(server.port("tracking"), "client_1_abc?token=" + token("ops"))) {
                assertThat(d.awaitType("active_sessions").path("data").path("total_sessions").asInt()).isZero();
            }
        }
        try (AgentWireServer server = new AgentWireServer(config(Map.of("agentwire.tracking.enabled", false), true))) {
            int port = server.start();
            assertThat(server.port("tracking")).isEqualTo(-1);
            assertThat(post(port, "/api/v1/tracking/agent-status", "{}", "X-API-Key", KEY).statusCode()).isEqualTo(404);
        }
    }

    private static String token(String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new MACSigner(TestConfigs.SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
