package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, findings 2, 7 and 9 over raw sockets: slowloris connections are closed by the idle / header / body
 * timeouts (408 for a request in progress), smuggling framing is refused with 400 and a close, and the connection,
 * per-principal and API rate limits answer 503 / 429. Short timeouts keep it fast.
 */
@Tag("integration")
class HttpLimitsIntegrationTest {
    private static final Duration IDLE = Duration.ofMillis(400);
    private static final Duration HEADER = Duration.ofMillis(500);
    private static final Duration BODY = Duration.ofMillis(500);
    private static Transport transport;
    private TestServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void startTransport() {
        transport = Transport.create(2);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
    }

    private void start(HttpLimits limits) {
        Routes routes = HealthRoutes.install(Routes.builder(), Map.of())
                .post("/echo", r -> CompletableFuture.completedFuture(HttpReply.text(200, r.bodyText())))
                .get("/api/things", r -> CompletableFuture.completedFuture(HttpReply.text(200, "things")))
                .get("/held", r -> CompletableFuture.supplyAsync(() -> HttpReply.text(200, "late"),
                        CompletableFuture.delayedExecutor(1_200, TimeUnit.MILLISECONDS)))
                .webSocket(WebSocketEndpoint.at("/ws", r -> new Authenticator.Accepted(Principal.user("ada")),
                        new RecordingHandler(false)))
                .build();
        server = new TestServer(transport, TestServer.config().withLimits(limits), routes);
    }

    private static HttpLimits shortTimeouts() {
        return HttpLimits.DEFAULTS.withTimeouts(IDLE, HEADER, BODY);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        start(shortTimeouts());
        Socket s = open();
        long t0 = System.nanoTime();
        assertThat(readAll(s)).isEmpty(); // closed without a word: nothing was asked
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(IDLE);
    }

    @Test
    void theTimeoutSweepLooksAtConnectionsWhileTheySpeakHttpAndAWebSocketLeavesItsSetAtTheHandshake() throws Exception {
        start(shortTimeouts());
        Socket http = open();
        awaitHttpConnections(1);
        try (RawWebSocket a = new RawWebSocket(server.port, "/ws"); RawWebSocket b = new RawWebSocket(server.port, "/ws")) {
            awaitConnections(3);
            awaitHttpConnections(1); // the two WebSockets left the sweep's set with their handshake
            assertThat(readAll(http)).isEmpty(); // and the sweep still closes the idle HTTP connection
            awaitHttpConnections(0);
            awaitConnections(2); // the WebSockets, silent for longer than the idle timeout, are not the sweep's
        }
        awaitConnections(0);
        assertThat(server.server.httpConnectionCount()).isZero();
    }

    @Test
    void headersTrickledAByteAtATimeGet408AndAClose() throws Exception {
        start(shortTimeouts());
        Socket s = open();
        OutputStream out = s.getOutputStream();
        byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        Thread trickle = Thread.ofVirtual().start(() -> {
            try {
                for (byte b : request) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100); // 1 byte per 100 ms: the whole head would take 6 s
                }
            } catch (IOException | InterruptedException e) {
                // the server hung up: expected
            }
        });
        String answer = readAll(s);
        trickle.interrupt();
        assertThat(answer).startsWith("HTTP/1.1 408").contains("REQUEST_TIMEOUT").contains("connection: close");
    }

    @Test
    void aBodyAnnouncedButNeverSentGets408AndAClose() throws Exception {
        start(shortTimeouts());
        Socket s = open();
        s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-bit")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(s)).startsWith("HTTP/1.1 408").contains("request body did not arrive");
    }

    @Test
    void aKeptAliveConnectionIsClosedWhenIdleButAHeldReplyIsNot() throws Exception {
        start(shortTimeouts());
        Socket s = open();
        s.getOutputStream().write("GET /held HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        // the reply comes after 1.2 s, three idle timeouts: a request being answered is not idle
        String answer = readAll(s);
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("late"); // then closed once idle
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() throws Exception {
        start(HttpLimits.DEFAULTS);
        Socket s = open();
        s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String answer = readAll(s);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Length together with Transfer-Encoding")
                .contains("connection: close");
        assertThat(answer).doesNotContain("HTTP/1.1 200"); // the smuggled request behind it is never answered
    }

    @Test
    void aTransferCodingOtherThanALoneChunkedIsRefused() throws Exception {
        start(HttpLimits.DEFAULTS);
        Socket s = open();
        s.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                + "2\r\nhi\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(s)).startsWith("HTTP/1.1 400").contains("unsupported Transfer-Encoding")
                .contains("connection: close");

        Socket ok = open(); // a plain chunked body is still read
        ok.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n2\r\nhi\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(ok)).startsWith("HTTP/1.1 200").endsWith("hi");
    }

    @Test
    void oneConnectionMoreThanTheListenerAllowsGets503() throws Exception {
        start(HttpLimits.DEFAULTS.withMaxConnections(3, 100));
        for (int i = 0; i < 3; i++) open();
        awaitConnections(3);
        Socket fourth = open();
        assertThat(readAll(fourth)).startsWith("HTTP/1.1 503").contains("SERVER_BUSY").contains("retry-after: 1");
        sockets.remove(0).close();
        awaitConnections(2);
        Socket again = open(); // a place is free again
        again.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(again)).startsWith("HTTP/1.1 200");
    }

    @Test
    void oneWebSocketMoreThanAPrincipalMayHaveGets429() throws Exception {
        start(HttpLimits.DEFAULTS.withMaxConnections(100, 2));
        try (RawWebSocket a = new RawWebSocket(server.port, "/ws"); RawWebSocket b = new RawWebSocket(server.port, "/ws")) {
            IOException refused = null;
            try (RawWebSocket c = new RawWebSocket(server.port, "/ws")) {
                // upgraded: the limit did not hold
            } catch (IOException e) {
                refused = e;
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).contains("HTTP/1.1 429");
        }
        // both closed: the principal may connect again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (RawWebSocket again = new RawWebSocket(server.port, "/ws")) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    @Test
    void theApiRateLimitAnswers429WithRetryAfter() throws Exception {
        start(HttpLimits.DEFAULTS.withApiRate(0.5, 3));
        for (int i = 0; i < 3; i++) assertThat(get("/api/things")).startsWith("HTTP/1.1 200");
        String limited = get("/api/things");
        assertThat(limited).startsWith("HTTP/1.1 429").contains("RATE_LIMITED").contains("retry-after: 2");
        assertThat(get("/healthz")).startsWith("HTTP/1.1 200"); // outside the API: not limited
    }

    private String get(String path) throws IOException {
        Socket s = open();
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return readAll(s);
    }

    private void awaitConnections(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.server.connectionCount() != n && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(server.server.connectionCount()).isEqualTo(n);
    }

    private void awaitHttpConnections(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.server.httpConnectionCount() != n && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(server.server.httpConnectionCount()).isEqualTo(n);
    }

    private Socket open() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port);
        s.setSoTimeout(15_000); // far above every timeout under test: a hang fails the test, not the build
        sockets.add(s);
        return s;
    }

    private static String readAll(Socket s) throws IOException {
        return RawHttp.readAll(s);
    }
}
