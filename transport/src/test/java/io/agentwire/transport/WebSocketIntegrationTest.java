package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Principal;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** WebSocket endpoints over real sockets with the JDK WebSocket client. */
@Tag("integration")
class WebSocketIntegrationTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final int TRACKING_MAX = 16 * 1024;
    private static Transport transport;

    private final RecordingHandler echo = new RecordingHandler(true);
    private final RecordingHandler tracking = new RecordingHandler(true);
    private TestServer server;

    @BeforeAll
    static void startTransport() {
        transport = Transport.create(2);
    }

    @AfterAll
    static void stopTransport() {
        transport.close();
    }

    @BeforeEach
    void start() {
        Authenticator tokens = req -> req.bearerToken()
                .<Authenticator.Result>map(t -> t.equals("good")
                        ? new Authenticator.Accepted(Principal.user("ada"))
                        : new Authenticator.Rejected(ErrorCode.AUTH_FAILED, "bad token"))
                .orElse(new Authenticator.Rejected(ErrorCode.AUTH_MISSING, "no token"));
        Routes routes = Routes.builder()
                .webSocket(WebSocketEndpoint.at("/ws", tokens, echo))
                .webSocket(WebSocketEndpoint.under("/ws/agent-tracking/",
                        req -> new Authenticator.Accepted(Principal.ANONYMOUS), tracking)
                        .withMaxMessageBytes(TRACKING_MAX))
                .build();
        server = new TestServer(transport, TestServer.config().withMaxFrameBytes(MAX_FRAME)
                .withWriter(new WriterLimits(10_000, 16L << 20, java.time.Duration.ofSeconds(2))), routes);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void echoRoundTripOnTheEventLoopWithThePrincipal() throws Exception {
        echo.greeting = "welcome";
        ClientListener client = new ClientListener();
        WebSocket ws = server.connect("/ws?token=good", client);
        WsConnection conn = echo.awaitOpen();
        assertThat(client.next()).isEqualTo("welcome"); // sent in onOpen: the first frame after the handshake
        assertThat(conn.principal().id()).isEqualTo("ada");
        assertThat(conn.path()).isEqualTo("/ws");
        assertThat(conn.request().queryParam("token")).hasValue("good");
        assertThat(conn.request().remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(conn.request().header("Host")).isPresent();
        assertThat(conn.request().header("Sec-WebSocket-Version")).hasValue("13");
        // the handshake's one-time key is not kept: it means nothing past the 101, and the request lives on
        assertThat(conn.request().header("Sec-WebSocket-Key")).isEmpty();

        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("hello");
        ws.sendText("wor", false);
        ws.sendText("ld", true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("world");
        assertThat(echo.texts).containsExactly("hello", "world");
        assertThat(echo.threads).allSatisfy(t -> assertThat(t).startsWith("aw-io"));
    }

    /**
     * Read sizing is one guess per event loop ({@link LoopReadSizes}), not per connection: connections on the same
     * loops, one sending messages near the frame limit (several reads each, the guess grows) and three sending small
     * ones (it shrinks again), get every message back whole and in order.
     */
    @Test
    void connectionsSharingALoopsReadSizingGetEveryMessageWhole() throws Exception {
        int n = 4;
        int rounds = 30;
        ClientListener[] clients = new ClientListener[n];
        WebSocket[] sockets = new WebSocket[n];
        for (int i = 0; i < n; i++) {
            clients[i] = new ClientListener();
            sockets[i] = server.connect("/ws?token=good", clients[i]);
            echo.awaitOpen();
        }
        java.util.List<java.util.concurrent.CompletableFuture<Void>> senders = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i;
            senders.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int r = 0; r < rounds; r++) {
                    sockets[c].sendText(message(c, r), true).join();
                }
            }));
        }
        for (var s : senders) s.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rounds; r++) assertThat(clients[i].next()).isEqualTo(message(i, r));
            sockets[i].abort();
        }
    }

    private static String message(int client, int round) {
        String head = client + "/" + round + ":";
        return client == 0 ? head + String.valueOf((char) ('a' + round % 26)).repeat(MAX_FRAME - 16) : head + "small";
    }

    @Test
    void bearerHeaderIsAcceptedToo() throws Exception {
        WebSocket ws = server.http.newWebSocketBuilder().header("Authorization", "Bearer good")
                .buildAsync(server.http("/ws").resolve("ws://127.0.0.1:" + server.port + "/ws"), new ClientListener())
                .get(10, TimeUnit.SECONDS);
        assertThat(echo.awaitOpen().principal().id()).isEqualTo("ada");
        ws.abort();
    }

    @Test
    void rejectedUpgradeIs401AndOpensNothing() {
        Throwable e = catchThrowable(() -> server.connect("/ws?token=bad", new ClientListener()));
        assertThat(e).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401);
        assertThat(echo.opened).isEmpty();
        assertThat(echo.closeCalls.get()).isZero();
    }

    @Test
    void prefixEndpointSeesItsPath() throws Exception {
        WebSocket ws = server.connect("/ws/agent-tracking/client-7", new ClientListener());
        WsConnection conn = tracking.awaitOpen();
        assertThat(conn.path()).isEqualTo("/ws/agent-tracking/client-7");
        assertThat(conn.principal().anonymous()).isTrue();
        ws.abort();
    }

    @Test
    void frameOverTheLimitIsClosedWith1009() throws Exception {
        ClientListener client = new ClientListener();
        WebSocket ws = server.connect("/ws?token=good", client);
        echo.awaitOpen();
        ws.sendText("x".repeat(MAX_FRAME + 1), true);

        assertThat(client.awaitCloseCode()).isEqualTo(1009);
        assertThat(client.closeReason.get()).isEqualTo("message too big");
        RecordingHandler.Closed closed = echo.awaitClose();
        assertThat(closed.code()).isEqualTo(1009);
        assertThat(echo.texts).isEmpty();
    }

    @Test
    void anEndpointsOwnSmallerLimitAppliesToItsConnectionsOnly() throws Exception {
        ClientListener tracked = new ClientListener();
        WebSocket t = server.connect("/ws/agent-tracking/client_1", tracked);
        tracking.awaitOpen();
        t.sendText("t".repeat(TRACKING_MAX), true).get(5, TimeUnit.SECONDS);
        assertThat(tracked.next()).hasSize(TRACKING_MAX); // at the endpoint's limit: accepted
        t.sendText("t".repeat(TRACKING_MAX + 1), true);
        assertThat(tracked.awaitCloseCode()).isEqualTo(1009);
        assertThat(tracking.awaitClose().code()).isEqualTo(1009);

        ClientListener client = new ClientListener(); // the server's larger limit still holds at /ws
        WebSocket ws = server.connect("/ws?token=good", client);
        echo.awaitOpen();
        ws.sendText("e".repeat(TRACKING_MAX + 1), true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).hasSize(TRACKING_MAX + 1);
    }

    @Test
    void singleFrameOverTheLimitGetsA1009CloseFrame() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(server.port, "/ws?token=good")) {
            echo.awaitOpen();
            raw.send(0x1, "z".repeat(MAX_FRAME + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));

            RawWebSocket.Frame close = raw.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(close.closeReason()).isEqualTo("message too big");
            raw.send(0x8, close.payload()); // answer the close: the server then closes the socket
            assertThat(raw.readEof()).isEqualTo(-1);
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1009);
        assertThat(echo.texts).isEmpty();
    }

    @Test
    void invalidUtf8IsClosedWith1007() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(server.port, "/ws?token=good")) {
            echo.awaitOpen();
            raw.send(0x1, new byte[] {(byte) 0xc3, (byte) 0x28});

            RawWebSocket.Frame close = raw.read();
            assertThat(close.closeCode()).isEqualTo(1007);
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1007);
        assertThat(echo.texts).isEmpty();
    }

    @Test
    void fragmentedMessageOverTheLimitIsClosedWith1009() throws Exception {
        ClientListener client = new ClientListener();
        WebSocket ws = server.connect("/ws?token=good", client);
        echo.awaitOpen();
        String part = "y".repeat(MAX_FRAME / 2);
        ws.sendText(part, false).get(5, TimeUnit.SECONDS);
        ws.sendText(part, false).get(5, TimeUnit.SECONDS);
        ws.sendText(part, true);

        assertThat(client.awaitCloseCode()).isEqualTo(1009);
        assertThat(echo.awaitClose().code()).isEqualTo(1009);
        assertThat(echo.texts).isEmpty();
    }

    @Test
    void binaryReachesOnBinaryAndTheDefaultCloses1003() throws Exception {
        echo.defaultBinary = true;
        ClientListener client = new ClientListener();
        WebSocket ws = server.connect("/ws?token=good", client);
        echo.awaitOpen();
        ws.sendBinary(ByteBuffer.wrap(new byte[42]), true).get(5, TimeUnit.SECONDS);

        assertThat(client.awaitCloseCode()).isEqualTo(1003);
        assertThat(client.closeReason.get()).isEqualTo("binary frames are not supported");
        assertThat(echo.binaries).containsExactly(42);
        assertThat(echo.awaitClose().code()).isEqualTo(1003);
    }

    @Test
    void clientCloseIsReportedExactlyOnce() throws Exception {
        ClientListener client = new ClientListener();
        WebSocket ws = server.connect("/ws?token=good", client);
        echo.awaitOpen();
        ws.sendClose(4321, "bye").get(5, TimeUnit.SECONDS);

        RecordingHandler.Closed closed = echo.awaitClose();
        assertThat(closed.code()).isEqualTo(4321);
        assertThat(closed.reason()).isEqualTo("bye");
        assertThat(client.awaitCloseCode()).isEqualTo(4321);
        server.close();
        assertThat(echo.closeCalls.get()).isEqualTo(1);
    }

    @Test
    void abruptDropIsReportedExactlyOnceAs1006() throws Exception {
        WebSocket ws = server.connect("/ws?token=good", new ClientListener());
        WsConnection conn = echo.awaitOpen();
        ws.abort();

        RecordingHandler.Closed closed = echo.awaitClose();
        assertThat(closed.code()).isEqualTo(1006);
        assertThat(conn.isOpen()).isFalse();
        assertThat(conn.send("too late")).isFalse();
        server.close();
        assertThat(echo.closeCalls.get()).isEqualTo(1);
    }

    @Test
    void serverShutdownClosesWith1001() throws Exception {
        ClientListener client = new ClientListener();
        server.connect("/ws?token=good", client);
        echo.awaitOpen();

        server.close();

        assertThat(client.awaitCloseCode()).isEqualTo(1001);
        assertThat(echo.awaitClose().code()).isEqualTo(1001);
        assertThat(echo.closeCalls.get()).isEqualTo(1);
    }

    @Test
    void pingIsAnsweredAndCountsAsLiveness() throws Exception {
        ClientListener client = new ClientListener();
        WebSocket ws = server.connect("/ws?token=good", client);
        WsConnection conn = echo.awaitOpen();
        long before = conn.lastReadNanos();
        Thread.sleep(5);

        ws.sendPing(ByteBuffer.wrap(new byte[] {7})).get(5, TimeUnit.SECONDS);

        ByteBuffer pong = client.pongs.poll(10, TimeUnit.SECONDS);
        assertThat(pong).isNotNull();
        assertThat(pong.get(0)).isEqualTo((byte) 7);
        assertThat(conn.lastReadNanos()).isGreaterThan(before);
        ws.abort();
    }

    @Test
    void serverSideCloseFromAnotherThread() throws Exception {
        ClientListener client = new ClientListener();
        server.connect("/ws?token=good", client);
        WsConnection conn = echo.awaitOpen();
        assertThat(conn.send("first")).isTrue();
        assertThat(client.next()).isEqualTo("first");

        conn.close(io.agentwire.core.DisconnectReason.HEARTBEAT_TIMEOUT);

        assertThat(client.awaitCloseCode()).isEqualTo(1001);
        assertThat(client.closeReason.get()).isEqualTo("heartbeat timeout");
        RecordingHandler.Closed closed = echo.awaitClose();
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(closed.reason()).isEqualTo("heartbeat timeout");
    }
}
