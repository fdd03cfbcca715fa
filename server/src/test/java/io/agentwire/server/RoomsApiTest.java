package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooms HTTP API for backends: the service key (401 without it or with a wrong one), each event type's payload
 * checked (a 400 whose JSON names the field), stats and access grants, on the rooms port and the main port.
 */
@Tag("integration")
class RoomsApiTest {
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AgentWireServer server;

    @BeforeEach
    void start() {
        server = new AgentWireServer(TestConfigs.production(dir, RoomsServerTest.KEY, Map.of()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A minimal valid {@code data} of each type: the required fields only. */
    static final Map<String, Map<String, Object>> MINIMAL = new LinkedHashMap<>();

    static {
        MINIMAL.put("project.updated", Map.of("project_id", "P1", "updated_by", "u1"));
        MINIMAL.put("project.deleted", Map.of("project_id", "P1", "deleted_by", "u1"));
        MINIMAL.put("agent.status_changed", Map.of("agent_id", "A1", "status", "busy"));
        MINIMAL.put("agent.connected", Map.of("agent_id", "A1"));
        MINIMAL.put("agent.disconnected", Map.of("agent_id", "A1"));
        MINIMAL.put("workflow.progress", Map.of("workflow_id", "W1", "status", "running", "progress", 45));
        MINIMAL.put("workflow.started", Map.of("workflow_id", "W1"));
        MINIMAL.put("workflow.completed", Map.of("workflow_id", "W1"));
        MINIMAL.put("workflow.failed", Map.of("workflow_id", "W1"));
        MINIMAL.put("pr.created", Map.of("pr_id", "PR1", "project_id", "P1", "title", "Fix"));
        MINIMAL.put("pr.updated", Map.of("pr_id", "PR1", "project_id", "P1"));
        MINIMAL.put("pr.closed", Map.of("pr_id", "PR1", "project_id", "P1"));
        MINIMAL.put("issue.created", Map.of("issue_id", "I1", "project_id", "P1"));
        MINIMAL.put("issue.updated", Map.of("issue_id", "I1", "project_id", "P1"));
        MINIMAL.put("issue.closed", Map.of("issue_id", "I1", "project_id", "P1"));
        MINIMAL.put("ai.suggestion", Map.of("suggestion_id", "S1", "target_type", "pr", "category", "refactor",
                "title", "t", "severity", "info"));
        MINIMAL.put("ai.analysis_complete", Map.of());
    }

    private HttpResponse<String> send(int port, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> publish(Object body) throws Exception {
        String text = body instanceof String s ? s : JsonSocket.JSON.writeValueAsString(body);
        return send(server.port("rooms"), "POST", "/api/v1/events", text, "X-API-Key", RoomsServerTest.KEY,
                "Content-Type", "application/json");
    }

    private static Map<String, Object> event(String type, Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("data", data);
        return e;
    }

    private static Map<String, Object> with(Map<String, Object> data, String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>(data);
        if (value == null) d.remove(key); else d.put(key, value);
        return d;
    }

    private static void assertBad(HttpResponse<String> r, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JsonSocket.JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).as(r.body()).isEqualTo(code);
        if (field == null) assertThat(error.has("field")).isFalse(); else assertThat(error.path("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @Test
    void withoutTheServiceKeyEveryRouteIs401() throws Exception {
        String event = JsonSocket.JSON.writeValueAsString(event("agent.connected", MINIMAL.get("agent.connected")));
        for (int port : List.of(server.port("rooms"), server.port())) {
            List<String[]> routes = List.of(new String[] {"POST", "/api/v1/events"}, new String[] {"GET", "/api/v1/websocket/stats"},
                    new String[] {"PUT", "/api/v1/access/projects/P1/users/u1"},
                    new String[] {"DELETE", "/api/v1/access/projects/P1/users/u1"}, new String[] {"GET", "/api/v1/access/users/u1"});
            for (String[] route : routes) {
                HttpResponse<String> none = send(port, route[0], route[1], route[0].equals("POST") ? event : null);
                assertThat(none.statusCode()).as(route[1]).isEqualTo(401);
                assertThat(JsonSocket.JSON.readTree(none.body()).path("error").path("code").asText()).isEqualTo("AUTH_MISSING");
                HttpResponse<String> wrong = send(port, route[0], route[1], route[0].equals("POST") ? event : null,
                        "X-API-Key", "not-the-key");
                assertThat(wrong.statusCode()).as(route[1]).isEqualTo(401);
                assertThat(JsonSocket.JSON.readTree(wrong.body()).path("error").path("code").asText()).isEqualTo("AUTH_FAILED");
                assertThat(wrong.body()).doesNotContain("not-the-key");
            }
            HttpResponse<String> bearer = send(port, "GET", "/api/v1/websocket/stats", null,
                    "Authorization", "Bearer " + RoomsServerTest.KEY);
            assertThat(bearer.statusCode()).isEqualTo(200);
            assertThat(JsonSocket.JSON.readTree(bearer.body()))
                    .isEqualTo(JsonSocket.JSON.readTree("{\"connections\":0,\"rooms\":{}}"));
        }
    }

    @Test
    void everyTypeWithItsRequiredFieldsIsAcceptedAndEachMissingOneIsNamed() throws Exception {
        for (Map.Entry<String, Map<String, Object>> t : MINIMAL.entrySet()) {
            HttpResponse<String> ok = publish(event(t.getKey(), t.getValue()));
            assertThat(ok.statusCode()).as(t.getKey() + ": " + ok.body()).isEqualTo(202);
            JsonNode body = JsonSocket.JSON.readTree(ok.body());
            assertThat(body.path("status").asText()).isEqualTo("accepted");
            assertThat(body.path("type").asText()).isEqualTo(t.getKey());
            for (String required : t.getValue().keySet()) {
                assertBad(publish(event(t.getKey(), with(t.getValue(), required, null))), "MISSING_FIELD", "data." + required);
                ObjectNode nulled = JsonSocket.JSON.valueToTree(event(t.getKey(), t.getValue()));
                ((ObjectNode) nulled.get("data")).putNull(required);
                assertBad(publish(nulled), "MISSING_FIELD", "data." + required);
            }
        }
    }

    @Test
    void documentedValuesAndTypesAreChecked() throws Exception {
        record Case(String type, String field, Object value) { }
        List<Case> cases = new ArrayList<>(List.of(
                new Case("agent.status_changed", "status", "sleeping"),
                new Case("agent.status_changed", "status", "ONLINE"),
                new Case("agent.status_changed", "availability", 101),
                new Case("agent.status_changed", "agent_id", ""),
                new Case("agent.status_changed", "agent_id", "has space"),
                new Case("agent.status_changed", "agent_id", 7),
                new Case("agent.status_changed", "metadata", "not an object"),
                new Case("agent.connected", "status", "asleep"),
                new Case("workflow.progress", "status", "paused"),
                new Case("workflow.progress", "progress", 150),
                new Case("workflow.progress", "progress", -1),
                new Case("workflow.progress", "progress", "45"),
                new Case("workflow.progress", "total_steps", 2.5),
                new Case("workflow.progress", "estimated_time_remaining", -3),
                new Case("workflow.progress", "logs", List.of("ok", 3)),
                new Case("workflow.progress", "errors", "none"),
                new Case("workflow.started", "status", "begun"),
                new Case("pr.created", "title", 42),
                new Case("issue.updated", "status", "done"),
                new Case("issue.updated", "priority", "urgent"),
                new Case("issue.created", "priority", "HIGH"),
                new Case("issue.closed", "assigned_to", "two words"),
                new Case("ai.suggestion", "severity", "fatal"),
                new Case("ai.suggestion", "category", "style"),
                new Case("ai.suggestion", "target_type", "file"),
                new Case("ai.suggestion", "confidence", 1.5),
                new Case("ai.analysis_complete", "target_type", "repository"),
                new Case("ai.analysis_complete", "project_id", "")));
        for (Case c : cases) {
            String field = c.field().equals("logs") ? "data.logs[1]" : "data." + c.field();
            assertBad(publish(event(c.type(), with(MINIMAL.get(c.type()), c.field(), c.value()))), "INVALID_FIELD", field);
        }
        // the documented values pass
        for (String status : List.of("online", "offline", "busy", "idle", "error")) {
            assertThat(publish(event("agent.status_changed", with(MINIMAL.get("agent.status_changed"), "status", status))).statusCode()).isEqualTo(202);
        }
        for (String status : List.of("pending", "running", "completed", "failed", "cancelled")) {
            assertThat(publish(event("workflow.progress", with(MINIMAL.get("workflow.progress"), "status", status))).statusCode()).isEqualTo(202);
        }
        for (String priority : List.of("low", "medium", "high", "critical")) {
            for (String status : List.of("open", "in_progress", "closed", "blocked")) {
                Map<String, Object> d = with(with(MINIMAL.get("issue.updated"), "priority", priority), "status", status);
                assertThat(publish(event("issue.updated", d)).statusCode()).isEqualTo(202);
            }
        }
        for (String category : List.of("optimization", "refactor", "bug_fix", "security", "performance", "maintainability")) {
            for (String severity : List.of("info", "warning", "critical")) {
                for (String target : List.of("issue", "pr", "code")) {
                    Map<String, Object> d = with(with(with(MINIMAL.get("ai.suggestion"), "category", category),
                            "severity", severity), "target_type", target);
                    assertThat(publish(event("ai.suggestion", d)).statusCode()).isEqualTo(202);
                }
            }
        }
    }

    @Test
    void theEnvelopeOfAnEventIsChecked() throws Exception {
        assertBad(publish("{not json"), "INVALID_JSON", null);
        assertBad(publish(""), "INVALID_JSON", null);
        assertBad(publish("[1,2]"), "INVALID_MESSAGE", null);
        assertBad(publish(Map.of("data", Map.of())), "MISSING_FIELD", "type");
        assertBad(publish(Map.of("type", 5, "data", Map.of())), "INVALID_FIELD", "type");
        assertBad(publish(Map.of("type", "project.created", "data", Map.of())), "UNKNOWN_EVENT", "type");
        assertBad(publish(Map.of("type", "agent.connected")), "MISSING_FIELD", "data");
        assertBad(publish(Map.of("type", "agent.connected", "data", List.of())), "INVALID_FIELD", "data");
        Map<String, Object> e = event("agent.connected", MINIMAL.get("agent.connected"));
        e.put("source", 5);
        assertBad(publish(e), "INVALID_FIELD", "source");
        e.put("source", "agent_service");
        e.put("timestamp", "yesterday");
        assertBad(publish(e), "INVALID_FIELD", "timestamp");
        e.put("timestamp", "2024-11-08T10:30:00+01:00");
        assertThat(publish(e).statusCode()).isEqualTo(202);
    }

    @Test
    void grantsAreListedAndBadIdsAreNamed() throws Exception {
        int port = server.port(); // the main port serves the same API
        String[] key = {"X-API-Key", RoomsServerTest.KEY};
        assertThat(send(port, "PUT", "/api/v1/access/projects/P1/users/u1", null, key).statusCode()).isEqualTo(200);
        assertThat(send(port, "PUT", "/api/v1/access/projects/P2/users/u1", null, key).statusCode()).isEqualTo(200);
        assertThat(send(port, "PUT", "/api/v1/access/projects/P2/users/u1", null, key).statusCode()).isEqualTo(200); // idempotent
        HttpResponse<String> listed = send(server.port("rooms"), "GET", "/api/v1/access/users/u1", null, key);
        assertThat(JsonSocket.JSON.readTree(listed.body()))
                .isEqualTo(JsonSocket.JSON.readTree("{\"user_id\":\"u1\",\"projects\":[\"P1\",\"P2\"]}"));
        assertThat(send(port, "DELETE", "/api/v1/access/projects/P1/users/u1", null, key).statusCode()).isEqualTo(200);
        assertThat(JsonSocket.JSON.readTree(send(port, "GET", "/api/v1/access/users/u1", null, key).body()).path("projects").toString())
                .isEqualTo("[\"P2\"]");
        assertBad(send(port, "PUT", "/api/v1/access/projects/has%20space/users/u1", null, key), "INVALID_FIELD", "project_id");
        assertBad(send(port, "PUT", "/api/v1/access/projects/P1/users/", null, key), "INVALID_FIELD", "user_id");
        assertThat(send(port, "PUT", "/api/v1/access/teams/T1", null, key).statusCode()).isEqualTo(404);
        assertThat(send(port, "POST", "/api/v1/access/projects/P1/users/u1", null, key).statusCode()).isEqualTo(405);
    }

    @Test
    void grantsSurviveARestart() throws Exception {
        String[] key = {"X-API-Key", RoomsServerTest.KEY};
        for (int i = 0; i < 3; i++) {
            assertThat(send(server.port(), "PUT", "/api/v1/access/projects/P" + i + "/users/u9", null, key).statusCode()).isEqualTo(200);
        }
        assertThat(send(server.port(), "DELETE", "/api/v1/access/projects/P1/users/u9", null, key).statusCode()).isEqualTo(200);
        server.close();
        start(); // the same data directory
        HttpResponse<String> listed = send(server.port(), "GET", "/api/v1/access/users/u9", null, key);
        assertThat(JsonSocket.JSON.readTree(listed.body()).path("projects").toString()).isEqualTo("[\"P0\",\"P2\"]");
        assertThat(send(server.port(), "PUT", "/api/v1/access/projects/P1/users/u9", null, key).statusCode()).isEqualTo(200);
        assertThat(JsonSocket.JSON.readTree(send(server.port(), "GET", "/api/v1/access/users/u9", null, key).body())
                .path("projects").toString()).isEqualTo("[\"P0\",\"P1\",\"P2\"]");
    }
}
