package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.DemoAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec 001's REST API (and the real front end's use of it) on the progress port, with a tool registry and without
 * one, and the static front end with its refusals; over real HTTP.
 */
@Tag("integration")
class ProgressRestTest {
    @TempDir static Path dir;
    static ProgressHarness withCatalog;
    static ProgressHarness bare;
    static FakeCatalog catalog = new FakeCatalog();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>front</title>");
        Files.createDirectories(site.resolve("static"));
        Files.writeString(site.resolve("static").resolve("script.js"), "console.log('hi');");
        Files.writeString(site.resolve("static").resolve("style.css"), "body{}");
        Files.writeString(dir.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(site.resolve("escape.txt"), dir.resolve("secret.txt"));
        withCatalog = new ProgressHarness(Files.createDirectories(dir.resolve("a")),
                ProgressSettings.TEST.withStaticDir(site), DemoAgent.NAME, Optional.of(catalog));
        bare = new ProgressHarness(Files.createDirectories(dir.resolve("b")), ProgressSettings.TEST, DemoAgent.NAME,
                Optional.empty());
    }

    @AfterAll
    static void stop() {
        withCatalog.close();
        bare.close();
    }

    record Reply(int status, String type, String text, JsonNode json, HttpResponse<String> raw) { }

    static Reply call(ProgressHarness h, String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = ProgressHarness.JSON.readTree(r.body());
        } catch (IOException notJson) { /* a file */ }
        return new Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), json, r);
    }

    static Reply get(ProgressHarness h, String path) throws Exception {
        return call(h, "GET", path, null, Map.of());
    }

    @Test
    void postSessionWithAnEmptyJsonBodyOrNoneGivesAUuid() throws Exception {
        Reply a = call(bare, "POST", "/api/session", "", Map.of("Content-Type", "application/json"));
        Reply b = call(bare, "POST", "/api/session", null, Map.of());
        for (Reply r : new Reply[] {a, b}) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("success").asBoolean()).isTrue();
            assertThat(r.json().path("session_id").asText()).matches("[0-9a-f-]{36}");
        }
        assertThat(a.json().path("session_id")).isNotEqualTo(b.json().path("session_id"));
    }

    @Test
    void messagesOfAnUnknownSessionAreEmptyAndLimitIsChecked() throws Exception {
        Reply r = get(bare, "/api/session/never-used/messages?limit=10");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("success").asBoolean()).isTrue();
        assertThat(r.json().path("messages")).isEmpty();
        assertThat(r.json().path("count").asInt()).isZero();
        for (String bad : new String[] {"abc", "0", "-1", "1001", "1.5"}) {
            Reply e = get(bare, "/api/session/x/messages?limit=" + bad);
            assertThat(e.status()).as(bad).isEqualTo(400);
            assertThat(e.json().path("success").asBoolean()).isFalse();
            assertThat(e.json().path("error").asText()).contains("'limit'");
        }
        assertThat(get(bare, "/api/session/x/other").status()).isEqualTo(404);
        assertThat(get(bare, "/api/session/x/messages").json().path("success").asBoolean()).isTrue();
    }

    @Test
    void messagesKeepTheOrderAndTheLimitTakesTheLastOnes() throws Exception {
        SessionMemory memory = new SessionMemory(withCatalog.node, java.time.Clock.systemUTC());
        for (int k = 0; k < 12; k++) memory.append("s-limit", k % 2 == 0 ? "user" : "assistant", "m" + k).join();
        JsonNode m = get(withCatalog, "/api/session/s-limit/messages?limit=5").json().path("messages");
        assertThat(m).hasSize(5);
        assertThat(m.get(0).path("content").asText()).isEqualTo("m7");
        assertThat(m.get(0).path("message_index").asInt()).isEqualTo(7);
        assertThat(m.get(4).path("content").asText()).isEqualTo("m11");
        assertThat(get(withCatalog, "/api/session/s-limit/messages").json().path("count").asInt()).isEqualTo(12);
    }

    @Test
    void toolsComeFromTheCatalogWithADocstringAndATimestampForTheFrontEnd() throws Exception {
        JsonNode r = get(withCatalog, "/api/tools").json();
        assertThat(r.path("success").asBoolean()).isTrue();
        assertThat(r.path("count").asInt()).isEqualTo(2);
        JsonNode second = r.path("tools").get(1);
        assertThat(second.path("docstring").isTextual()).isTrue(); // null in the registry: the front end splits it
        assertThat(second.path("timestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
        Reply one = get(withCatalog, "/api/tools/load_csv_data");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("tool").path("code").asText()).startsWith("def load_csv_data");
        Reply missing = get(withCatalog, "/api/tools/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(ProgressHarness.JSON.readTree("{\"success\":false,\"error\":\"Tool not found\"}"));
        assertThat(get(bare, "/api/tools").json().path("tools")).isEmpty();
        assertThat(get(bare, "/api/tools/load_csv_data").status()).isEqualTo(404);
    }

    @Test
    void analyticsRoutesPassTheirParametersAndRefuseBadOnes() throws Exception {
        JsonNode rel = get(withCatalog, "/api/analytics/relationships?tool_name=load_csv_data&min_confidence=0.7").json();
        assertThat(rel.path("relationships").get(0).path("relationship_type").asText()).isEqualTo("sequence");
        assertThat(rel.path("count").asInt()).isEqualTo(1);
        JsonNode pat = get(withCatalog, "/api/analytics/patterns?min_frequency=3&limit=5").json();
        assertThat(pat.path("patterns")).hasSize(1);
        JsonNode ses = get(withCatalog, "/api/analytics/sessions/s-42?limit=50").json();
        assertThat(ses.path("session_id").asText()).isEqualTo("s-42");
        assertThat(ses.path("executions")).hasSize(1);
        JsonNode stats = get(withCatalog, "/api/analytics/stats").json().path("stats");
        assertThat(stats.path("most_connected_tools").get(0).path("tool").asText()).isEqualTo("load_csv_data");
        assertThat(catalog.asked).contains("relationships load_csv_data 0.7", "patterns 3 5",
                "executions " + Turn.coreSession("s-42") + " 50");

        assertThat(get(withCatalog, "/api/analytics/relationships?min_confidence=2").json().path("error").asText())
                .contains("'min_confidence'");
        assertThat(get(withCatalog, "/api/analytics/patterns?min_frequency=x").status()).isEqualTo(400);
        assertThat(get(withCatalog, "/api/analytics/patterns?limit=0").json().path("error").asText()).contains("'limit'");
        assertThat(get(withCatalog, "/api/analytics/sessions/s?limit=x").status()).isEqualTo(400);

        JsonNode empty = get(bare, "/api/analytics/stats").json();
        assertThat(empty.toString()).isEqualTo("{\"success\":true,\"stats\":{\"total_patterns\":0,\"total_relationships\":0,"
                + "\"most_frequent_pattern\":null,\"most_connected_tools\":[]}}");
        assertThat(get(bare, "/api/analytics/relationships").json().path("relationships")).isEmpty();
        assertThat(get(bare, "/api/analytics/patterns").json().path("count").asInt()).isZero();
        assertThat(get(bare, "/api/analytics/sessions/abc").json().path("executions")).isEmpty();
    }

    @Test
    void unknownApiRoutesAreJson404AndCorsIsAnsweredForOtherOrigins() throws Exception {
        Reply r = get(bare, "/api/nothing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("success").asBoolean()).isFalse();
        assertThat(get(bare, "/").status()).isEqualTo(404); // no static-dir: nothing outside /socket.io/ and /api/
        Reply pre = call(bare, "OPTIONS", "/api/session", null, Map.of("Origin", "http://elsewhere.test",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
        assertThat(pre.status()).isEqualTo(204);
        assertThat(pre.raw().headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(pre.raw().headers().firstValue("access-control-allow-headers")).hasValue("content-type");
        Reply post = call(bare, "POST", "/api/session", null, Map.of("Origin", "http://elsewhere.test"));
        assertThat(post.raw().headers().firstValue("access-control-allow-origin")).hasValue("*");
    }

    @Test
    void theStaticFrontEndIsServedWithContentTypesAndNothingOutsideItsDirectory() throws Exception {
        Reply index = get(withCatalog, "/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.type()).isEqualTo("text/html; charset=utf-8");
        assertThat(index.text()).contains("<title>front</title>");
        assertThat(get(withCatalog, "/index.html").text()).isEqualTo(index.text());
        assertThat(get(withCatalog, "/static/script.js").type()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(get(withCatalog, "/static/style.css").type()).isEqualTo("text/css; charset=utf-8");
        assertThat(get(withCatalog, "/static").status()).isEqualTo(404);      // no listing
        assertThat(get(withCatalog, "/static/").status()).isEqualTo(404);
        assertThat(get(withCatalog, "/missing.js").status()).isEqualTo(404);
        assertThat(get(withCatalog, "/escape.txt").status()).isEqualTo(404);  // a symbolic link out of the directory
        for (String path : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/static/..%2f..%2fsecret.txt",
                "/static/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/static/..%5c..%5csecret.txt"}) {
            String raw = rawGet(withCatalog.port, path);
            assertThat(raw).as(path).startsWith("HTTP/1.1 404").doesNotContain("top secret");
        }
        // the API and the socket paths still win over the front end
        assertThat(get(withCatalog, "/api/tools").json().path("count").asInt()).isEqualTo(2);
        assertThat(get(withCatalog, "/socket.io/?EIO=4&transport=polling").text()).startsWith("0{");
    }

    /** A request line sent as is (no client-side normalization of the path). */
    static String rawGet(int port, String path) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
