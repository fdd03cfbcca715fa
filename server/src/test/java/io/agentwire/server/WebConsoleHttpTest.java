package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's HTTP side against a real server in production mode: who may log in (the API key, a JWT with the
 * admin role; not a wrong key, not a JWT without the role), the cookie, CSRF on every action (403 without the
 * token), the live feed only with a session and from the same origin, and no console without an API key.
 */
@Tag("integration")
class WebConsoleHttpTest {
    private static final String KEY = "console-http-test-key-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path dir;

    private HttpResponse<String> post(int port, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String login(String credential) {
        return "{\"credential\":\"" + credential + "\"}";
    }

    @Test
    void loginCookieCsrfAndTheLiveFeed() throws Exception {
        try (AgentWireServer server = new AgentWireServer(TestConfigs.production(dir, KEY, Map.of()))) {
            int port = server.start();
            HttpResponse<String> page = get(port, "/console", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/console/assets/app.js");
            assertThat(page.headers().firstValue("content-security-policy")).get().asString().contains("frame-ancestors 'none'");
            assertThat(get(port, "/console/assets/app.js", Map.of()).statusCode()).isEqualTo(200);
            assertThat(get(port, "/console/", Map.of()).headers().firstValue("location")).contains("/console");
            assertThat(get(port, "/console/assets/../../metrics", Map.of()).statusCode()).isEqualTo(404);

            HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/login"))
                    .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(login(KEY))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).isEqualTo(415); // what a form on another site could send
            HttpResponse<String> wrong = post(port, "/console/login", login("not-the-key"), Map.of());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
            String user = TestTokens.hs256(TestTokens.claims("carol").claim("roles", List.of("user")).build());
            assertThat(post(port, "/console/login", login(user), Map.of()).statusCode()).isEqualTo(401);
            String admin = TestTokens.hs256(TestTokens.claims("dana").claim("roles", List.of("admin")).build());
            HttpResponse<String> byJwt = post(port, "/console/login", login(admin), Map.of());
            assertThat(byJwt.statusCode()).isEqualTo(200);
            assertThat(JsonSocket.JSON.readTree(byJwt.body()).path("principal").asText()).isEqualTo("dana");

            HttpResponse<String> ok = post(port, "/console/login", login(KEY), Map.of());
            assertThat(ok.statusCode()).isEqualTo(200);
            String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
            assertThat(setCookie).startsWith("aw_console=").contains("HttpOnly", "SameSite=Strict", "Path=/console")
                    .doesNotContain("Secure");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            String csrf = JsonSocket.JSON.readTree(ok.body()).path("csrf").asText();
            assertThat(ok.body()).doesNotContain(KEY);

            JsonNode session = JsonSocket.JSON.readTree(get(port, "/console/session", Map.of("cookie", cookie)).body());
            assertThat(session.path("csrf").asText()).isEqualTo(csrf);
            assertThat(get(port, "/console/session", Map.of()).body()).isEqualTo("{\"loggedIn\":false}");

            String cancel = "{\"run\":\"run_000000000000\"}";
            assertThat(post(port, "/console/cancel", cancel, Map.of()).statusCode()).isEqualTo(401);
            assertThat(post(port, "/console/cancel", cancel, Map.of("cookie", cookie)).statusCode()).isEqualTo(403);
            assertThat(post(port, "/console/cancel", cancel, Map.of("cookie", cookie, "x-csrf-token", csrf + "0"))
                    .statusCode()).isEqualTo(403);
            assertThat(post(port, "/console/disconnect", "{\"dialect\":\"envelope\",\"id\":\"conn_x\"}",
                    Map.of("cookie", cookie)).statusCode()).isEqualTo(403);
            HttpResponse<String> withToken = post(port, "/console/cancel", cancel, Map.of("cookie", cookie, "x-csrf-token", csrf));
            assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(404); // accepted, but no such run

            // the live feed: with the session, same origin
            try (JsonSocket live = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/console/live"), Map.of("cookie", cookie))) {
                JsonNode first = live.await(n -> "overview".equals(n.path("view").asText()), "the overview");
                assertThat(first.has("series")).isTrue();
                live.send("{\"view\":\"cluster\"}");
                JsonNode cluster = live.await(n -> "cluster".equals(n.path("view").asText()), "the cluster view");
                assertThat(cluster.path("cluster").asText()).contains("SQLite");
                assertThat(cluster.path("checks").size()).isPositive();
            }
            assertThatThrownBy(() -> new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/console/live")))
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
            assertThatThrownBy(() -> new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/console/live"),
                    Map.of("cookie", cookie, "origin", "http://evil.example")))
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);

            HttpResponse<String> out = post(port, "/console/logout", "", Map.of("cookie", cookie, "x-csrf-token", csrf));
            assertThat(out.statusCode()).isEqualTo(200);
            assertThat(get(port, "/console/session", Map.of("cookie", cookie)).body()).contains("\"loggedIn\":false");
        }
    }

    @Test
    void withoutAnApiKeyThereIsNoConsole() throws Exception {
        try (AgentWireServer server = new AgentWireServer(TestConfigs.production(dir))) {
            int port = server.start();
            assertThat(get(port, "/console", Map.of()).statusCode()).isEqualTo(404);
            assertThat(post(port, "/console/login", login("x"), Map.of()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void itCanBeTurnedOffAndMoved() throws Exception {
        try (AgentWireServer off = new AgentWireServer(TestConfigs.production(dir.resolve("a"), KEY,
                Map.of("agentwire.console.enabled", false)))) {
            assertThat(get(off.start(), "/console", Map.of()).statusCode()).isEqualTo(404);
        }
        try (AgentWireServer moved = new AgentWireServer(TestConfigs.production(dir.resolve("b"), KEY,
                Map.of("agentwire.console.path", "/ops/console")))) {
            int port = moved.start();
            HttpResponse<String> page = get(port, "/ops/console", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("/ops/console/assets/app.js");
        }
    }
}
