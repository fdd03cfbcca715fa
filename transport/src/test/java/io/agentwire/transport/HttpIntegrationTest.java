package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Blocking;
import io.agentwire.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** HTTP over real sockets with the JDK HttpClient (and a raw socket where the client hides the wire). */
@Tag("integration")
class HttpIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Transport transport;

    private final AtomicBoolean storeUp = new AtomicBoolean(true);
    private TestServer server;

    @BeforeAll
    static void startTransport() {
        transport = Transport.create(2);
        assertThat(transport.kind()).isIn("epoll", "nio");
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @BeforeEach
    void start() {
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("store", storeUp::get);
        checks.put("broker", () -> true);
        Routes routes = HealthRoutes.install(Routes.builder(), checks)
                .post("/echo", r -> CompletableFuture.completedFuture(
                        new HttpReply(200, "application/octet-stream", r.body(), Map.of())))
                .get("/query", r -> CompletableFuture.completedFuture(HttpReply.json(200, Map.of(
                        "q", r.queryParam("q").orElse(""), "agent", r.header("X-Agent").orElse(""),
                        "remote", r.remoteAddress()))))
                .get("/throws", r -> { throw new IllegalStateException("secret detail"); })
                .get("/fails", r -> CompletableFuture.failedFuture(new IllegalStateException("secret detail")))
                .get("/slow", r -> Blocking.supply(() -> {
                    Thread.sleep(300);
                    return HttpReply.text(200, "slow");
                }))
                .prefixRoute("GET", "/files/", r -> CompletableFuture.completedFuture(HttpReply.text(200, r.path())))
                .webSocket(WebSocketEndpoint.at("/ws",
                        req -> new Authenticator.Rejected(ErrorCode.AUTH_MISSING, "no token"),
                        new RecordingHandler(false)))
                .build();
        server = new TestServer(transport, TestServer.config().withMaxHttpBodyBytes(1024), routes);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthz() throws Exception {
        HttpResponse<String> res = get("/healthz");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(JSON.readTree(res.body())).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));
    }

    @Test
    void readyzReadyAndNotReady() throws Exception {
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"checks\":{\"store\":true,\"broker\":true}}");

        storeUp.set(false);
        HttpResponse<String> notReady = get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body())
                .isEqualTo("{\"status\":\"not_ready\",\"checks\":{\"store\":false,\"broker\":true}}");
    }

    @Test
    void unknownPathIs404Json() throws Exception {
        HttpResponse<String> res = get("/nope");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(error(res).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error(res).get("message").asText()).contains("/nope");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> res = server.http.send(HttpRequest.newBuilder(server.http("/healthz"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("allow")).hasValue("GET");
        assertThat(error(res).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void bodyOverTheLimitIs413JsonAndTheClientCanGoOn() throws Exception {
        HttpResponse<String> res = post("/echo", new byte[4096]);
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(error(res).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        HttpResponse<String> small = post("/echo", "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).isEqualTo("hi");
    }

    @Test
    void bodyOverTheLimitWithExpectContinueIs413Json() throws Exception {
        HttpResponse<String> res = server.http.send(HttpRequest.newBuilder(server.http("/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(error(res).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void handlerExceptionAndFailedFutureAre500WithoutDetails() throws Exception {
        for (String path : new String[] {"/throws", "/fails"}) {
            HttpResponse<String> res = get(path);
            assertThat(res.statusCode()).isEqualTo(500);
            assertThat(error(res).get("code").asText()).isEqualTo("INTERNAL_ERROR");
            assertThat(res.body()).doesNotContain("secret", "Exception", "at io.");
        }
    }

    @Test
    void queryHeadersRemoteAddressAndPrefixRoutes() throws Exception {
        HttpResponse<String> res = server.http.send(HttpRequest.newBuilder(server.http("/query?q=a%20b"))
                .header("X-Agent", "test").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("q").asText()).isEqualTo("a b");
        assertThat(body.get("agent").asText()).isEqualTo("test");
        assertThat(body.get("remote").asText()).isEqualTo("127.0.0.1");

        assertThat(get("/files/a/b.txt").body()).isEqualTo("/files/a/b.txt");
    }

    @Test
    void blockingHandlerAnswers() throws Exception {
        assertThat(get("/slow").body()).isEqualTo("slow");
    }

    @Test
    void keepAliveAndPipelinedRepliesInRequestOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("slow");
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"ok\"}");

            out.write("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String last = readResponse(in);
            assertThat(last).startsWith("HTTP/1.1 404").contains("connection: close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void rejectedUpgradeIs401JsonWithoutUpgrade() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws?x=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String res = readResponse(socket.getInputStream());
            assertThat(res).startsWith("HTTP/1.1 401");
            assertThat(res).doesNotContainIgnoringCase("sec-websocket-accept");
            String body = res.substring(res.indexOf("\r\n\r\n") + 4);
            assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(
                    "{\"error\":{\"code\":\"AUTH_MISSING\",\"message\":\"no token\"}}"));
        }
    }

    @Test
    void plainGetOnAWebSocketPathIs426() throws Exception {
        HttpResponse<String> res = get("/ws");
        assertThat(res.statusCode()).isEqualTo(426);
        assertThat(error(res).get("code").asText()).isEqualTo("UPGRADE_REQUIRED");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return server.http.send(HttpRequest.newBuilder(server.http(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return server.http.send(HttpRequest.newBuilder(server.http(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body()).get("error");
    }

    /** Reads one response with a content-length body from a raw socket. */
    private static String readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new AssertionError("connection closed in the headers: " + head);
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
