package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooms dialect (spec 004) through the whole server, driven by the official socket.io-client as the document's
 * clients use it: every connection flow and client command with each documented code, every server event published
 * by a backend over HTTP reaching exactly its documented rooms, project grants, stats, recovery, the 1 MB limit.
 */
@Tag("integration")
class RoomsServerTest {
    static final String KEY = "rooms-test-api-key-0123456789abcdef";
    static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir Path dir;

    private AgentWireServer server(Map<String, Object> more) {
        AgentWireServer s = new AgentWireServer(TestConfigs.production(dir, RoomsServerTest.KEY, more));
        s.start();
        return s;
    }

    private static Map<String, Object> params(AgentWireServer s, Map<String, String> tokens) {
        Map<String, Object> p = RoomsHarness.params(s.port("rooms"), KEY);
        p.put("tokens", tokens);
        return p;
    }

    @Test
    void connectionFlowsAndClientCommandsAnswerAsDocumented() throws Exception {
        try (AgentWireServer s = server(Map.of())) {
            JsonNode r = RoomsHarness.run("flows", params(s, Map.of("alice", TestTokens.hs256("alice", "P1"),
                    "bob", TestTokens.hs256("bob"))), LIMIT);

            JsonNode established = r.path("established");
            assertThat(established.path("type").asText()).isEqualTo("connection.established");
            assertThat(established.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(established.path("data").path("connection_id").asText()).isEqualTo(r.path("aliceId").asText());
            assertThat(established.path("data").path("user_id").asText()).isEqualTo("alice");
            assertThat(established.path("data").path("protocol_version").asText()).isEqualTo("1.0");
            assertThat(r.path("bobEstablished").path("data").path("user_id").asText()).isEqualTo("bob"); // ?token=

            assertRefused(r.path("missing"), "AUTH_MISSING", "No authentication provided");
            assertRefused(r.path("emptyToken"), "AUTH_MISSING", "No authentication provided");
            assertRefused(r.path("garbage"), "AUTH_FAILED", "Invalid or expired token");
            assertThat(r.path("mainNamespace").path("message").asText()).isEqualTo("Invalid namespace");

            JsonNode sub = r.path("subscribe");
            assertSuccess(sub.path("ownProject"), "project:P1");
            assertError(sub.path("otherProject"), "ROOM_ACCESS_DENIED", "Access denied to room");
            assertSuccess(sub.path("ownUser"), "user:alice");
            assertError(sub.path("otherUser"), "ROOM_ACCESS_DENIED", "Access denied to room");
            assertSuccess(sub.path("agent"), "agent:A1");
            assertSuccess(sub.path("global"), "global");
            for (String invalid : List.of("unknownType", "noId", "whitespace", "notAString", "noPayload", "bare")) {
                assertError(sub.path(invalid), "INVALID_ROOM", "Invalid room format");
            }
            assertSuccess(r.path("unsubscribe").path("project"), "project:P1");
            assertSuccess(r.path("unsubscribe").path("again"), "project:P1");
            assertError(r.path("unsubscribe").path("invalid"), "INVALID_ROOM", "Invalid room format");
            assertThat(r.path("ping")).isEqualTo(JsonSocket.JSON.readTree("{\"status\":\"pong\"}"));

            assertError(r.path("beforeGrant"), "ROOM_ACCESS_DENIED", "Access denied to room");
            assertThat(r.path("grant").path("status").asInt()).isEqualTo(200);
            assertThat(r.path("grant").path("body").path("status").asText()).isEqualTo("granted");
            assertSuccess(r.path("afterGrant"), "project:P2");
            assertThat(r.path("listed").path("body").path("projects").toString()).isEqualTo("[\"P2\"]");
            assertThat(r.path("publishGranted").path("status").asInt()).isEqualTo(202);
            assertThat(r.path("publishGranted").path("body").path("rooms").toString()).isEqualTo("[\"project:P2\"]");
            assertThat(r.path("revoke").path("body").path("status").asText()).isEqualTo("revoked");
            assertError(r.path("afterRevoke"), "ROOM_ACCESS_DENIED", "Access denied to room");
            // the revocation took bob out of the room: the second pr.created (before the sentinel) never reached him
            assertThat(r.path("bobPrTitles").toString()).isEqualTo("[\"granted\"]");
            assertThat(r.path("listedAfter").path("body").path("projects").toString()).isEqualTo("[]");
            assertThat(r.path("accessNotFound").path("status").asInt()).isEqualTo(404);
            assertThat(r.path("clientDisconnect").asText()).isEqualTo("io client disconnect");
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("agentwire_rooms_events_published_total 3.0");
            // the wire series, dialect="rooms": the client's commands, their acks, the events, each refusal by code
            Scrape m = new Scrape(metrics);
            m.assertTraffic("rooms");
            assertThat(m.acks("rooms", "out")).isGreaterThanOrEqualTo(16);
            assertThat(m.errors("rooms", "INVALID_ROOM")).isGreaterThanOrEqualTo(7);
            assertThat(m.errors("rooms", "ROOM_ACCESS_DENIED")).isGreaterThanOrEqualTo(4);
            assertThat(m.errors("rooms", "AUTH_MISSING")).isGreaterThanOrEqualTo(2);
            assertThat(m.errors("rooms", "AUTH_FAILED")).isGreaterThanOrEqualTo(1);
        }
    }

    /** One client per user, each in its own rooms; the events and the clients that must (and only they) get them. */
    @Test
    void everyEventTypeReachesExactlyItsDocumentedRooms() throws Exception {
        Map<String, List<String>> subscriptions = new LinkedHashMap<>();
        subscriptions.put("alice", List.of("project:P1", "agent:A1"));
        subscriptions.put("bob", List.of("project:P1"));
        subscriptions.put("carol", List.of("project:P2", "agent:A2"));
        subscriptions.put("dave", List.of());
        Set<String> all = subscriptions.keySet();
        Set<String> p1 = Set.of("alice", "bob");
        Set<String> p2 = Set.of("carol");

        List<Map<String, Object>> events = new ArrayList<>();
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        int[] n = {0};
        java.util.function.BiConsumer<Map<String, Object>, Set<String>> add = (event, to) -> {
            String marker = "e" + n[0]++;
            @SuppressWarnings("unchecked") Map<String, Object> data = (Map<String, Object>) event.get("data");
            data.put("marker", marker);
            events.add(event);
            expected.put(marker, to);
        };
        add.accept(event("project.updated", "project_id", "P1", "project_name", "AI Agent Framework",
                "repository_url", "https://github.com/user/ai-agent-framework", "status", "active", "updated_by", "dave",
                "changes", Map.of("status", "updated", "fields", List.of("status", "description"))), union(p1, Set.of("dave")));
        add.accept(event("project.deleted", "project_id", "P2", "deleted_by", "alice"), union(p2, Set.of("alice")));
        add.accept(event("agent.status_changed", "agent_id", "A1", "agent_name", "GPT-4 Code Analyst", "status", "online",
                "availability", 85, "metadata", Map.of("version", "1.0", "cpu_usage", 45.2)), all);
        add.accept(event("agent.connected", "agent_id", "A2"), all);
        add.accept(event("agent.disconnected", "agent_id", "A2", "status", "offline"), all);
        add.accept(event("workflow.progress", "workflow_id", "W1", "project_id", "P2", "status", "running", "progress", 45,
                "current_step", "Analyzing code structure", "total_steps", 10, "estimated_time_remaining", 120,
                "logs", List.of("Starting workflow execution"), "errors", List.of()), p2);
        add.accept(event("workflow.progress", "workflow_id", "W2", "status", "pending", "progress", 0), all); // no project: global
        add.accept(event("workflow.started", "workflow_id", "W3", "project_id", "P1"), p1);
        add.accept(event("workflow.completed", "workflow_id", "W4", "project_id", "P2", "status", "completed", "progress", 100), p2);
        add.accept(event("workflow.failed", "workflow_id", "W5", "status", "failed"), all);
        add.accept(event("pr.created", "pr_id", "PR1", "project_id", "P1", "title", "Fix: Improve error handling",
                "description", "…", "author", "john-doe", "branch", "feature/x", "github_url", "https://github.com/u/p/pull/42",
                "status", "open", "created_at", "2024-11-08T10:30:00Z"), p1);
        add.accept(event("pr.updated", "pr_id", "PR2", "project_id", "P2", "title", "t", "status", "merged"), p2);
        add.accept(event("pr.closed", "pr_id", "PR1", "project_id", "P1"), p1);
        add.accept(event("issue.created", "issue_id", "I1", "project_id", "P2", "title", "t", "status", "open",
                "priority", "low", "assigned_to", "bob"), union(p2, Set.of("bob")));
        add.accept(event("issue.updated", "issue_id", "I2", "project_id", "P1", "title", "Support for async/await syntax",
                "description", "d", "status", "in_progress", "priority", "high", "assigned_to", "carol",
                "updated_at", "2024-11-08T10:30:00Z"), union(p1, Set.of("carol")));
        add.accept(event("issue.closed", "issue_id", "I3", "project_id", "P1", "status", "closed"), p1);
        add.accept(event("ai.suggestion", "suggestion_id", "S1", "project_id", "P2", "target_type", "pr", "target_id", "PR2",
                "category", "optimization", "title", "Reduce complexity", "severity", "warning", "confidence", 0.92,
                "suggested_action", "Refactor", "metadata", Map.of("line_number", 125)), p2);
        add.accept(event("ai.suggestion", "suggestion_id", "S2", "target_type", "code", "category", "security",
                "title", "t", "severity", "critical"), all); // no project: global
        add.accept(event("ai.analysis_complete", "project_id", "P1", "analysis_id", "AN1"), p1);
        Map<String, Object> withSource = event("agent.status_changed", "agent_id", "A2", "status", "error");
        withSource.put("source", "scheduler");
        withSource.put("timestamp", "2024-11-08T10:30:00Z");
        add.accept(withSource, all);

        Map<String, String> tokens = Map.of("alice", TestTokens.hs256("alice", "P1"), "bob", TestTokens.hs256("bob", "P1"),
                "carol", TestTokens.hs256("carol", "P2"), "dave", TestTokens.hs256("dave"));
        try (AgentWireServer s = server(Map.of())) {
            Map<String, Object> p = params(s, tokens);
            p.put("subscriptions", subscriptions);
            p.put("events", events);
            JsonNode r = RoomsHarness.run("routing", p, LIMIT);

            // stats before publishing: 4 connections, each room's members
            JsonNode stats = r.path("stats");
            assertThat(stats.path("status").asInt()).isEqualTo(200);
            assertThat(stats.path("body").path("connections").asLong()).isEqualTo(4);
            Map<String, Long> rooms = new TreeMap<>();
            stats.path("body").path("rooms").fields().forEachRemaining(e -> rooms.put(e.getKey(), e.getValue().asLong()));
            assertThat(rooms).isEqualTo(new TreeMap<>(Map.of("global", 4L, "user:alice", 1L, "user:bob", 1L,
                    "user:carol", 1L, "user:dave", 1L, "project:P1", 2L, "project:P2", 1L, "agent:A1", 1L, "agent:A2", 1L)));

            for (JsonNode published : r.path("published")) assertThat(published.path("status").asInt()).isEqualTo(202);
            assertThat(r.path("published").get(0).path("body").path("rooms").toString())
                    .isEqualTo("[\"project:P1\",\"user:dave\"]");
            assertThat(r.path("published").get(2).path("body").path("rooms").toString()).isEqualTo("[\"agent:A1\",\"global\"]");
            assertThat(r.path("published").get(6).path("body").path("rooms").toString()).isEqualTo("[\"global\"]");

            for (String client : all) {
                Map<String, Integer> got = new TreeMap<>();
                for (JsonNode e : r.path("received").path(client)) {
                    JsonNode payload = e.path("payload");
                    String marker = payload.path("data").path("marker").asText();
                    got.merge(marker, 1, Integer::sum);
                    int i = Integer.parseInt(marker.substring(1));
                    Map<String, Object> sent = events.get(i);
                    assertThat(e.path("event").asText()).isEqualTo(sent.get("type"));
                    assertThat(payload.path("type").asText()).isEqualTo(sent.get("type"));
                    assertThat(payload.path("data")).isEqualTo(JsonSocket.JSON.valueToTree(sent.get("data")));
                    assertThat(fieldNames(payload)).containsExactly("type", "timestamp", "source", "data");
                    if (sent.containsKey("source")) {
                        assertThat(payload.path("source").asText()).isEqualTo("scheduler");
                        assertThat(payload.path("timestamp").asText()).isEqualTo("2024-11-08T10:30:00Z");
                    } else {
                        assertThat(payload.path("source").asText()).isEqualTo(defaultSource((String) sent.get("type")));
                        assertThat(payload.path("timestamp").asText()).endsWith("Z");
                    }
                }
                Map<String, Integer> want = new TreeMap<>();
                expected.forEach((marker, to) -> {
                    if (to.contains(client)) want.put(marker, 1);
                });
                assertThat(got).as(client + " received each of its events once, and no other").isEqualTo(want);
            }
        }
    }

    @Test
    void aClientThatDropsRecoversTheMissedRoomEventsExactlyOnce() throws Exception {
        for (List<String> transports : List.of(List.of("websocket"), List.of("polling"))) {
            try (AgentWireServer s = server(Map.of())) {
                Map<String, Object> p = params(s, Map.of("alice", TestTokens.hs256("alice", "P1")));
                p.put("transports", transports);
                JsonNode r = RoomsHarness.run("recovery", p, LIMIT);
                assertThat(r.path("reason").asText()).as(transports.toString()).isEqualTo("forced close"); // the client closed its engine
                assertThat(r.path("recovered").asBoolean()).as(transports.toString()).isTrue();
                assertThat(r.path("sameId").asBoolean()).isTrue();
                assertThat(r.path("steps").toString()).as(transports.toString())
                        .isEqualTo("[\"s0\",\"s1\",\"s2\",\"s3\",\"s4\",\"s5\",\"s6\"]");
                assertThat(r.path("established").asInt()).isEqualTo(2); // once per connection, as documented
                Scrape m = Scrape.of(s.port());
                assertThat(m.wire("agentwire_resumes_total", "rooms")).as(transports.toString()).isEqualTo(1);
                assertThat(m.wire("agentwire_resumes_not_recovered_total", "rooms")).isZero();
            }
        }
    }

    @Test
    void aRecoveringClientKeepsOnlyTheRoomsItMayStillEnter() throws Exception {
        try (AgentWireServer s = server(Map.of())) {
            JsonNode r = RoomsHarness.run("recoveryRecheck", params(s, Map.of("bob", TestTokens.hs256("bob"))), LIMIT);
            assertSuccess(r.path("subscribed"), "project:P2");
            assertThat(r.path("recovered").asBoolean()).isTrue();
            assertThat(r.path("prs").asInt()).isZero(); // the grant was revoked while bob was away
            assertThat(r.path("rooms").has("project:P2")).isFalse();
            assertThat(r.path("rooms").path("user:bob").asInt()).isEqualTo(1);
        }
    }

    @Test
    void whatARecoveringClientMissedInARoomItMayNoLongerEnterIsNeverDelivered() throws Exception {
        try (AgentWireServer s = server(Map.of())) {
            JsonNode r = RoomsHarness.run("recoveryRevoked", params(s, Map.of("bob", TestTokens.hs256("bob"),
                    "carol", TestTokens.hs256("carol", "P3"), "carolWithoutP3", TestTokens.hs256("carol"))), LIMIT);
            assertSuccess(r.path("subscribed").path("bob"), "project:P2");
            assertSuccess(r.path("subscribed").path("carol"), "project:P3");
            for (String who : List.of("bob", "carol")) {
                assertThat(r.path(who).path("recovered").asBoolean()).as(who).isTrue();
                assertThat(r.path(who).path("prs").toString()).as(who).isEqualTo("[]");
                assertThat(r.path(who).path("globals").toString()).as(who).isEqualTo("[\"missed-global\",\"sentinel\"]");
            }
        }
    }

    @Test
    void aRecoveryTokenIsBoundToThePrincipalItWasIssuedTo() throws Exception {
        try (AgentWireServer s = server(Map.of())) {
            JsonNode r = RoomsHarness.run("stolenPid", params(s, Map.of("alice", TestTokens.hs256("alice", "P1"),
                    "mallory", TestTokens.hs256("mallory"))), LIMIT);
            assertThat(r.path("hadPid").asBoolean()).isTrue();
            assertThat(r.path("hadOffset").asBoolean()).isTrue();
            assertThat(r.path("mallory").path("recovered").asBoolean()).isFalse();
            assertThat(r.path("mallory").path("sameId").asBoolean()).isFalse();
            assertThat(r.path("mallory").path("events").toString())
                    .isEqualTo("[\"connection_established:mallory\",\"agent.status_changed:sentinel\"]");
            assertThat(r.path("alice").path("recovered").asBoolean()).isTrue(); // her record is still hers
            assertThat(r.path("alice").path("sameId").asBoolean()).isTrue();
            assertThat(r.path("alice").path("prs").toString()).isEqualTo("[\"missed-P1\"]");
            Scrape m = Scrape.of(s.port());
            assertThat(m.wire("agentwire_resumes_not_recovered_total", "rooms")).as("mallory's").isEqualTo(1);
            assertThat(m.wire("agentwire_resumes_total", "rooms")).as("alice's").isEqualTo(1);
        }
    }

    @Test
    void aMessageUpToOneMegabyteIsTakenALargerOneClosesOnlyItsConnection() throws Exception {
        try (AgentWireServer s = server(Map.of())) {
            Map<String, Object> p = params(s, Map.of("alice", TestTokens.hs256("alice"), "bob", TestTokens.hs256("bob")));
            p.put("under", 990_000);
            p.put("over", 1_000_001);
            JsonNode r = RoomsHarness.run("payload", p, LIMIT);
            assertThat(r.path("under").path("status").asText()).isEqualTo("pong");
            assertThat(r.path("reason").asText()).isIn("transport close", "transport error");
            assertThat(r.path("bStill").path("status").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aThousandClientsInOneProjectRoomEachReceiveEveryEventExactlyOnce() throws Exception {
        try (AgentWireServer s = server(Map.of())) {
            Map<String, Object> p = params(s, Map.of("member", TestTokens.hs256("member", "BIG")));
            p.put("clients", 1000);
            p.put("events", 20);
            p.put("project", "BIG");
            JsonNode r = RoomsHarness.run("fanout", p, Duration.ofSeconds(120));
            assertThat(r.path("clients").asInt()).isEqualTo(1000);
            assertThat(r.path("connections").asInt()).isEqualTo(1000);
            assertThat(r.path("room").asInt()).isEqualTo(1000);
            assertThat(r.path("statuses").toString()).doesNotContain("400").doesNotContain("500");
            assertThat(r.path("missing").asInt()).isZero();
            assertThat(r.path("duplicates").asInt()).isZero();
            assertThat(r.path("exact").asInt()).isEqualTo(1000);
        }
    }

    private static Map<String, Object> event(String type, Object... kv) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) data.put((String) kv[i], kv[i + 1]);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("data", data);
        return e;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String defaultSource(String type) {
        return switch (type.substring(0, type.indexOf('.'))) {
            case "project" -> "project_service";
            case "agent" -> "agent_service";
            case "workflow" -> "workflow_service";
            case "pr", "issue" -> "github_service";
            default -> "ai_dock_service";
        };
    }

    static void assertRefused(JsonNode refused, String code, String message) {
        assertThat(refused.path("message").asText()).isEqualTo(message);
        JsonNode d = refused.path("data");
        assertThat(d.path("type").asText()).isEqualTo("connection.error");
        assertThat(d.path("timestamp").asText()).endsWith("Z");
        assertThat(d.path("data").path("error_code").asText()).isEqualTo(code);
        assertThat(d.path("data").path("error_message").asText()).isEqualTo(message);
        assertThat(d.path("data").has("connection_id")).isTrue();
        assertThat(d.path("data").path("connection_id").isNull()).isTrue();
        assertThat(refused.path("active").asBoolean()).as("refused: the client does not retry").isFalse();
        assertThat(refused.path("connected").asBoolean()).isFalse();
    }

    private static void assertSuccess(JsonNode ack, String room) {
        ObjectNode want = JsonSocket.JSON.createObjectNode().put("status", "success").put("room", room);
        assertThat(ack).isEqualTo(want);
    }

    private static void assertError(JsonNode ack, String code, String message) {
        ObjectNode want = JsonSocket.JSON.createObjectNode().put("status", "error").put("error_code", code)
                .put("error_message", message);
        assertThat(ack).isEqualTo(want);
    }
}
