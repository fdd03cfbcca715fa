package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The Socket.IO Admin UI protocol (docs/admin-ui.md) through the whole server, on two Socket.IO dialects: the
 * harness ({@code src/test/js/adminui}) connects to {@code /admin} with the official Admin UI's socket options and
 * handlers and feeds what arrives into the UI's own store modules (from {@code @socket.io/admin-ui}'s source map), so
 * the assertions read what the real UI would show: the server, the socket list, live connections, rooms, events,
 * the disconnect action, and refusals of wrong credentials.
 */
@Tag("integration")
class AdminUiServerTest {
    static final Path HARNESS = Path.of("src", "test", "js", "adminui");
    static final String KEY = "admin-ui-test-key-0123456789";
    static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir Path dir;

    @Test
    void roomsServesTheAdminUiBehindTheApiKey() throws Exception {
        try (AgentWireServer s = start(Map.of("agentwire.rooms.admin-ui.enabled", true))) {
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("nsp", "/ws");
            app.put("auth", Map.of("token", TestTokens.hs256("alice", "P1")));
            app.put("event", List.of("subscribe", Map.of("room", "project:P1")));
            app.put("ack", true);
            app.put("room", "project:P1");
            app.put("sent", true);
            Map<String, Object> p = params(s.port("rooms"), "admin", KEY, app);
            p.put("wrongUser", "nobody");
            JsonNode r = harness("tour", p);

            assertThat(r.path("wrongPassword").asText()).isEqualTo("invalid credentials");
            assertThat(r.path("wrongUser").asText()).isEqualTo("invalid credentials");
            assertThat(r.path("noAuth").asText()).isEqualTo("invalid credentials");
            assertTour(r, "/ws", "connection_established");

            // the rooms the UI shows for b: its own, the automatic user and global rooms, and the one it subscribed to
            JsonNode b = socket(r.path("withB"), "/ws", r.path("b").asText());
            assertThat(texts(b.path("rooms"))).contains(r.path("b").asText(), "user:alice", "global", "project:P1");
            assertThat(room(r.path("withB"), "/ws", "project:P1").path("sockets").toString()).contains(r.path("b").asText());
            assertThat(r.path("ack").toString()).contains("project:P1");
            // credentials are not shown
            assertThat(b.path("query").toString()).doesNotContain(TestTokens.hs256("alice", "P1"));
            // after both left, their rooms are gone from the UI
            assertThat(room(r.path("final"), "/ws", "project:P1").isMissingNode()).isTrue();
            assertThat(types(r.path("final"), "/ws")).contains("room_left");
        }
    }

    @Test
    void progressServesItWithAnAdminJwtAsThePassword() throws Exception {
        try (AgentWireServer s = start(progressOnly())) {
            String adminJwt = TestTokens.hs256(TestTokens.claims("ops").claim("roles", List.of("admin")).build());
            String userJwt = TestTokens.hs256(TestTokens.claims("ops").claim("roles", List.of("user")).build());
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("nsp", "/");
            app.put("auth", Map.of());
            app.put("event", List.of("hello", Map.of("n", 1)));
            app.put("ack", false);
            app.put("room", false);
            app.put("sent", false);
            JsonNode r = harness("tour", params(s.port("progress"), "ops", adminJwt, app));
            assertThat(r.path("wrongPassword").asText()).isEqualTo("invalid credentials");
            assertTour(r, "/", null);
            JsonNode hello = event(r.path("withB"), "/", "event_received", r.path("b").asText());
            assertThat(hello.path("eventName").asText()).isEqualTo("hello");
            assertThat(hello.path("args").toString()).isEqualTo("[{\"n\":1}]");

            // a valid token without the admin role is no admin credential
            JsonNode refused = harness("refused", params(s.port("progress"), "ops", userJwt, app));
            assertThat(refused.path("wrong").asText()).isEqualTo("invalid credentials");
        }
    }

    /** The official Admin UI's page itself, in headless Chromium, logged in to the progress port. */
    @Test
    void theOfficialAdminUiInABrowserListsAndDisconnectsAClient() throws Exception {
        try (AgentWireServer s = start(progressOnly())) {
            Map<String, Object> p = params(s.port("progress"), "admin", KEY, Map.of("nsp", "/", "auth", Map.of()));
            p.put("shots", Path.of("target", "screenshots").toAbsolutePath().toString());
            JsonNode r = harness("browser", p);
            assertThat(r.path("wrongShown").asBoolean()).isTrue();
            assertThat(r.path("listed").asBoolean()).isTrue();
            assertThat(r.path("aReason").asText()).isEqualTo("io server disconnect");
            assertThat(r.path("unlisted").asBoolean()).isTrue();
            assertThat(r.path("pageErrors").size()).isZero();
            assertThat(Path.of("target", "screenshots", "admin-ui-sockets.png")).isNotEmptyFile();
        }
    }

    private static Map<String, Object> progressOnly() {
        return only("progress");
    }

    /**
     * {@code dialect} with the Admin UI on an ephemeral port of its own; rooms and tracking off (port 0 would be the
     * one rooms serves /socket.io/ on).
     */
    private static Map<String, Object> only(String dialect) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("agentwire." + dialect + ".enabled", true);
        flags.put("agentwire." + dialect + ".port", 0);
        flags.put("agentwire.rooms.enabled", false);
        flags.put("agentwire.tracking.enabled", false);
        flags.put("agentwire." + dialect + ".admin-ui.enabled", true);
        return flags;
    }

    @Test
    void offByDefaultTheNamespaceDoesNotExist() throws Exception {
        try (AgentWireServer s = start(Map.of())) {
            JsonNode r = harness("refused", params(s.port("rooms"), "admin", KEY, Map.of("nsp", "/ws")));
            assertThat(r.path("wrong").asText()).isEqualTo("Invalid namespace");
            assertThat(r.path("none").asText()).isEqualTo("Invalid namespace");
        }
    }

    @Test
    void meshServesItToo() throws Exception {
        try (AgentWireServer s = start(only("mesh"))) {
            JsonNode r = harness("peek", params(s.port("mesh"), "admin", KEY, Map.of("nsp", "/")));
            assertThat(r.path("refused").asText()).isEqualTo("invalid credentials");
            assertThat(texts(r.path("features"))).contains("DISCONNECT", "ALL_EVENTS");
            assertThat(r.path("allSockets").asBoolean()).isTrue();
        }
    }

    @Test
    void readonlyInProductionModeOnlyLooksAtTheStats() throws Exception {
        Map<String, Object> flags = progressOnly();
        flags.put("agentwire.progress.admin-ui.readonly", true);
        flags.put("agentwire.progress.admin-ui.mode", "production");
        try (AgentWireServer s = start(flags)) {
            JsonNode r = harness("peek", params(s.port("progress"), "admin", KEY, Map.of("nsp", "/", "auth", Map.of())));
            assertThat(texts(r.path("features"))).containsExactly("AGGREGATED_EVENTS");
            assertThat(r.path("allSockets").asBoolean()).isFalse(); // no socket list in production mode
            assertThat(r.path("stillConnected").asBoolean()).isTrue(); // its _disconnect was not obeyed
            assertThat(r.path("stats").path("namespaces").toString()).contains("\"socketsCount\":1");
        }
    }

    /** What every tour shows, whatever the dialect. */
    private static void assertTour(JsonNode r, String nsp, String sentOnConnect) {
        String a = r.path("a").asText();
        String b = r.path("b").asText();
        assertThat(r.path("sessionId").asText()).hasSize(32);
        assertThat(r.path("sessionReconnect").asBoolean()).isTrue();
        assertThat(texts(r.path("order")).subList(0, 2)).containsExactly("session", "config");
        assertThat(texts(r.path("initial").path("supportedFeatures")))
                .contains("DISCONNECT", "JOIN", "LEAVE", "EMIT", "AGGREGATED_EVENTS", "ALL_EVENTS");

        // the socket list: a (connected before the Admin UI) in its namespace, and the Admin UI itself
        JsonNode all = r.path("allSockets");
        assertThat(all.findValuesAsText("id")).contains(a, r.path("admin").asText());
        JsonNode listedA = socket(r.path("initial"), nsp, a);
        assertThat(listedA.path("transport").asText()).isIn("polling", "websocket");
        assertThat(listedA.path("clientId").asText()).isNotEmpty();
        assertThat(listedA.path("address").asText()).contains("127.0.0.1");
        assertThat(texts(listedA.path("rooms"))).contains(a);
        assertThat(r.path("initial").path("clients").size()).isGreaterThanOrEqualTo(2);

        // the server: one, healthy, its namespaces with their socket counts
        JsonNode server = r.path("initial").path("servers").get(0);
        assertThat(r.path("initial").path("servers").size()).isEqualTo(1);
        assertThat(server.path("healthy").asBoolean()).isTrue();
        assertThat(server.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        // a and the Admin UI (and maybe a refused Admin UI connection the client has not closed yet)
        assertThat(server.path("clientsCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(count(server, nsp)).isEqualTo(1);
        assertThat(count(server, "/admin")).isEqualTo(1);

        // b came: listed live, its event received, then disconnected by the Admin UI's action
        assertThat(types(r.path("withB"), nsp)).contains("connection", "event_received");
        assertThat(socket(r.path("withB"), nsp, b).path("transport").asText()).isEqualTo("websocket");
        if (sentOnConnect != null) {
            assertThat(event(r.path("withB"), nsp, "event_sent", b).path("eventName").asText()).isEqualTo(sentOnConnect);
        }
        assertThat(r.path("bReason").asText()).isEqualTo("io server disconnect");
        // join, emit to the room, leave
        assertThat(r.path("emitted").toString()).isEqualTo("{\"x\":1}");
        assertThat(ns(r.path("final"), nsp).path("events").toString()).contains("\"args\":\"vip-" + a + "\"");

        // both gone: the UI lists neither, its events say so, and the stats count them out
        JsonNode fin = r.path("final");
        assertThat(socket(fin, nsp, a).isMissingNode()).isTrue();
        assertThat(socket(fin, nsp, b).isMissingNode()).isTrue();
        List<String> disconnections = new ArrayList<>();
        ns(fin, nsp).path("events").forEach(e -> {
            if (e.path("type").asText().equals("disconnection")) disconnections.add(e.path("id").asText() + " " + e.path("args").asText());
        });
        assertThat(disconnections).contains(b + " server namespace disconnect", a + " client namespace disconnect");
        JsonNode last = r.path("lastStats");
        assertThat(last.path("clientsCount").asInt()).isEqualTo(1);
        assertThat(count(last, nsp)).isZero();
        assertThat(last.path("uptime").asDouble()).isPositive();
        assertThat(texts(fin.path("aggregatedTypes"))).contains("rawConnection", "rawDisconnection", "packetsIn",
                "packetsOut", "bytesIn", "bytesOut");
    }

    private AgentWireServer start(Map<String, Object> more) {
        AgentWireServer s = new AgentWireServer(TestConfigs.production(dir, KEY, more));
        s.start();
        return s;
    }

    private static Map<String, Object> params(int port, String user, String password, Map<String, Object> app) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base", "http://127.0.0.1:" + port);
        p.put("path", "/socket.io/");
        p.put("username", user);
        p.put("password", password);
        p.put("app", app);
        return p;
    }

    static JsonNode harness(String scenario, Map<String, Object> params) throws Exception {
        if (!Files.isDirectory(HARNESS.resolve("node_modules").resolve("@socket.io").resolve("admin-ui"))) {
            throw new AssertionError("the Admin UI harness is not installed: run `npm ci --prefix server/src/test/js/adminui`");
        }
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("timeoutMs", LIMIT.toMillis() - 2_000);
        Process proc = new ProcessBuilder("node", "harness.mjs", scenario, JsonSocket.JSON.writeValueAsString(p))
                .directory(HARNESS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError(scenario + " did not finish");
            JsonNode r = JsonSocket.JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
            if (r == null || r.has("error") || proc.exitValue() != 0) throw new AssertionError(scenario + " failed: " + out);
            return r;
        } finally {
            proc.destroyForcibly();
        }
    }

    private static JsonNode ns(JsonNode snapshot, String name) {
        for (JsonNode n : snapshot.path("namespaces")) if (n.path("name").asText().equals(name)) return n;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode socket(JsonNode snapshot, String nsp, String id) {
        for (JsonNode s : ns(snapshot, nsp).path("sockets")) if (s.path("id").asText().equals(id)) return s;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode room(JsonNode snapshot, String nsp, String name) {
        for (JsonNode s : ns(snapshot, nsp).path("rooms")) if (s.path("name").asText().equals(name)) return s;
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode event(JsonNode snapshot, String nsp, String type, String id) {
        for (JsonNode e : ns(snapshot, nsp).path("events")) {
            if (e.path("type").asText().equals(type) && e.path("id").asText().equals(id)) return e;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> types(JsonNode snapshot, String nsp) {
        return ns(snapshot, nsp).path("events").findValuesAsText("type");
    }

    private static int count(JsonNode stats, String nsp) {
        for (JsonNode n : stats.path("namespaces")) if (n.path("name").asText().equals(nsp)) return n.path("socketsCount").asInt();
        return -1;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
