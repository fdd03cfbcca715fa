package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real headless Chromium (Debian's, driven by playwright-core: src/test/js/console) against a
 * real server, as an operator uses it while a user's envelope client runs the demo agent (and a socket.io-client user
 * of the rooms dialect is in a project room): a wrong credential is
 * refused, the login works, the client's connection appears and disappears, its run's events show in order with
 * the pending confirmation, cancelling from the console reaches the client, disconnecting from the console closes a
 * client, a POST without the CSRF token gets 403, the page logs no error, and axe-core finds no WCAG 2 A/AA violation on
 * the login page or any view. The screenshots land in docs/console/.
 */
@Tag("integration")
class WebConsoleBrowserTest {
    private static final Path HARNESS = Path.of("src", "test", "js", "console");
    private static final Path SHOTS = Path.of("..", "docs", "console");
    private static final String KEY = "console-test-key-0123456789";

    @TempDir Path dir;

    @Test
    void anOperatorWatchesAndCancelsARunAndDisconnectsAClient() throws Exception {
        if (!Files.isDirectory(HARNESS.resolve("node_modules").resolve("playwright-core"))) {
            throw new AssertionError("playwright-core is not installed in " + HARNESS.toAbsolutePath()
                    + ": run `npm ci --prefix server/src/test/js/console` first");
        }
        Files.createDirectories(SHOTS);
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true); // anonymous envelope clients; the API key below is still the console's
        flags.put("agentwire.agents.demo.confirm-timeout", "10m"); // the run waits for its confirmation however slow the machine
        try (AgentWireServer server = new AgentWireServer(AgentWireConfig.load(null,
                Map.of("AGENTWIRE_API_KEY", KEY, "AGENTWIRE_JWT_SECRET", TestConfigs.SECRET), flags))) {
            int port = server.start();
            JsonNode r = harness(Map.of("base", "http://127.0.0.1:" + port, "key", KEY,
                    "rooms", "http://127.0.0.1:" + server.port("rooms"), "roomsToken", TestTokens.hs256("alice", "P1"),
                    "shots", SHOTS.toAbsolutePath().normalize().toString(), "timeoutMs", 100_000));

            assertThat(r.path("wrongCredential").asText()).contains("not an admin credential");
            JsonNode cookie = r.path("cookie").get(0);
            assertThat(cookie.path("name").asText()).isEqualTo("aw_console");
            assertThat(cookie.path("httpOnly").asBoolean()).isTrue();
            assertThat(cookie.path("sameSite").asText()).isEqualTo("Strict");
            assertThat(cookie.path("path").asText()).isEqualTo("/console");

            assertThat(r.path("connectionRow").asText()).contains("envelope").contains("websocket").contains("anonymous");
            // a Socket.IO user of the rooms dialect, found by a server-side search, and its project room
            assertThat(r.at("/roomsSubscribe/status").asText()).as(r.path("roomsSubscribe").toString()).isEqualTo("success");
            assertThat(r.path("roomsConnectionRow").asText()).contains("rooms").contains("alice")
                    .contains("socket.io/websocket").contains("project:P1");
            assertThat(r.at("/searchInfo/total").asInt()).isEqualTo(1);
            assertThat(r.path("projectRoomRow").asText()).contains("rooms").contains("1");
            assertThat(r.path("roomRow").asText()).contains("envelope").contains(r.at("/user/id").asText());
            assertThat(r.path("sessionRow").asText()).contains(r.at("/user/run").asText()).contains("running");
            assertThat(r.path("runsSearch").asText()).isEqualTo(r.at("/user/session").asText());
            assertThat(r.path("pendingText").asText()).contains("confirm_plan_" + r.at("/user/run").asText());
            // the run view lists the run's events in the order the client received them
            List<String> before = strings(r.path("runViewBeforeCancel"));
            assertThat(before).startsWith("plan.start").contains("plan.completed").endsWith("agent.user_confirm");
            assertThat(strings(r.path("clientBeforeCancel"))).startsWith(before.toArray(String[]::new));
            assertThat(r.path("cancelled").asText()).isEqualTo("cancelled");
            List<String> after = strings(r.path("runViewAfterCancel"));
            assertThat(after).isEqualTo(strings(r.path("clientAfterCancel")));
            assertThat(after).endsWith("pipeline.completed").contains("plan.cancelled");

            assertThat(r.path("disconnectedCode").asInt()).isEqualTo(1001);
            assertThat(r.path("noCsrf").asInt()).isEqualTo(403);
            assertThat(r.path("connectionGone").asBoolean()).isTrue();
            assertThat(strings(r.path("agents"))).contains("demo");
            assertThat(strings(r.path("errorsBeforeLogin")))
                    .containsExactly("Failed to load resource: the server responded with a status of 401 (Unauthorized)");
            assertThat(r.path("consoleErrors").size()).as(r.path("consoleErrors").toString()).isZero();
            assertThat(r.path("accessibility").size()).isEqualTo(8); // the login page and seven views
            r.path("accessibility").forEach(page -> assertThat(page.path("violations").size())
                    .as("axe-core WCAG 2 A/AA violations on " + page.path("where").asText() + ": " + page.path("violations"))
                    .isZero());
            for (String shot : List.of("login", "overview", "connections", "sessions", "rooms", "run", "agents", "cluster")) {
                assertThat(SHOTS.resolve(shot + ".png")).isNotEmptyFile();
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode harness(Map<String, Object> params) throws Exception {
        Process p = new ProcessBuilder("node", "console.mjs", JsonSocket.JSON.writeValueAsString(new LinkedHashMap<>(params)))
                .directory(HARNESS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(110, TimeUnit.SECONDS)).as("the console harness finished").isTrue();
            String text = new String(out, StandardCharsets.UTF_8).trim();
            JsonNode r = JsonSocket.JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
            assertThat(r.has("error")).as(text).isFalse();
            return r;
        } finally {
            p.destroyForcibly();
        }
    }
}
