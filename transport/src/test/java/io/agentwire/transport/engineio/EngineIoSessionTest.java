package io.agentwire.transport.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.testing.FakeWsConnection;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Engine.IO session state machine without sockets: its event loop is an {@link EmbeddedChannel}'s, with frozen
 * time, and its transports are fakes (long-polling requests, WebSockets).
 */
class EngineIoSessionTest {
    static final Duration PING_INTERVAL = Duration.ofMillis(1000);
    static final Duration PING_TIMEOUT = Duration.ofMillis(500);

    final EmbeddedChannel channel = new EmbeddedChannel();
    final List<String> messages = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    final EngineIoServer server = new EngineIoServer(
            EngineIoConfig.DEFAULTS.withHeartbeat(PING_INTERVAL, PING_TIMEOUT).withMaxPayload(1000),
            request -> new Authenticator.Accepted(Principal.ANONYMOUS),
            s -> s.listener(new EngineIoSession.Listener() {
                @Override public void onMessage(String text) { messages.add(text); }
                @Override public void onBinary(byte[] data) { messages.add("binary " + data.length); }
                @Override public void onClose(String reason) { closes.add(reason); }
            }));

    final long[] now = {0}; // the heartbeat clock, moved with the channel's frozen time

    {
        channel.freezeTime();
        server.clock = () -> now[0];
    }

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    void handshakeAnnouncesTheSessionAndRefusesBadRequests() throws Exception {
        EngineIoSession polling = polling();
        JsonNode open = new ObjectMapper().readTree(polling.openPacket().substring(1));
        assertThat(polling.openPacket()).startsWith("0");
        assertThat(open.get("sid").asText()).isEqualTo(polling.id());
        assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(open.get("pingInterval").asInt()).isEqualTo(1000);
        assertThat(open.get("pingTimeout").asInt()).isEqualTo(500);
        assertThat(open.get("maxPayload").asInt()).isEqualTo(1000);
        assertThat(polling.transportName()).isEqualTo("polling");
        assertThat(server.sessionCount()).isEqualTo(1);

        EngineIoSession ws = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, fakeWs(Map.of()));
        assertThat(ws.openPacket()).contains("\"upgrades\":[]");
        assertThat(ws.transportName()).isEqualTo("websocket");

        assertThat(server.verify(query("EIO", "3", "transport", "polling"), "GET", false)).isEqualTo(EngineIoErrors.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(server.verify(query("EIO", "4"), "GET", false)).isEqualTo(EngineIoErrors.UNKNOWN_TRANSPORT);
        assertThat(server.verify(query("EIO", "4", "transport", "polling"), "POST", false)).isEqualTo(EngineIoErrors.BAD_HANDSHAKE_METHOD);
        assertThat(server.verify(query("EIO", "4", "transport", "polling", "sid", "nope"), "GET", false)).isEqualTo(EngineIoErrors.UNKNOWN_SID);
        assertThat(server.verify(query("EIO", "4", "transport", "websocket"), "GET", false)).isEqualTo(EngineIoErrors.BAD_REQUEST);
        assertThat(server.verify(query("EIO", "4", "transport", "polling", "sid", polling.id()), "GET", false)).isEqualTo(-1);
    }

    @Test
    void packetsWaitForThePollAndAPostIsDeliveredToTheListener() {
        EngineIoSession s = polling();
        s.send("hello");
        s.sendBinary(new byte[] {1, 2});
        assertThat(body(poll(s))).isEqualTo("4hello\u001ebAQI=");
        CompletableFuture<HttpReply> held = poll(s);
        assertThat(held).isNotDone();
        s.send("later");
        assertThat(body(held)).isEqualTo("4later");
        HttpReply ok = post(s, "4one\u001e4two");
        assertThat(new String(ok.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
        assertThat(messages).containsExactly("one", "two");
    }

    @Test
    void aPongInTimeKeepsTheSessionAndAMissingOneClosesIt() {
        EngineIoSession s = polling();
        CompletableFuture<HttpReply> held = poll(s);
        advance(PING_INTERVAL);
        assertThat(body(held)).isEqualTo("2");
        advance(PING_TIMEOUT.minusMillis(100));
        post(s, "3");
        advance(Duration.ofMillis(200));
        assertThat(closes).isEmpty();
        assertThat(s.isOpen()).isTrue();

        advance(PING_INTERVAL.minusMillis(200)); // the next ping, never answered
        assertThat(body(poll(s))).isEqualTo("2");
        advance(PING_TIMEOUT);
        assertThat(closes).containsExactly("ping timeout");
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void aRequestAfterThePongDeadlineFindsTheSessionClosedThoughTheTimerRunsLate() {
        // engine.io-protocol suite, "closes the session upon ping timeout" (long-polling): the client polls exactly
        // pingInterval + pingTimeout after the handshake; a busy loop may not have run the timers by then
        EngineIoSession s = polling();
        late(PING_INTERVAL.plus(PING_TIMEOUT));
        assertThat(status(poll(s))).isEqualTo(400);
        assertThat(closes).containsExactly("ping timeout");

        // a ping timer that ran late leaves the pong only what remains of pingTimeout after the ping was due
        EngineIoSession late = polling();
        late(PING_INTERVAL.plus(PING_TIMEOUT.dividedBy(2)));
        channel.runScheduledPendingTasks(); // the ping goes out half a pingTimeout late
        assertThat(body(poll(late))).isEqualTo("2");
        advance(PING_TIMEOUT.dividedBy(2));
        assertThat(closes).containsExactly("ping timeout", "ping timeout");
    }

    @Test
    void aWebSocketSessionIsPingedOnItsSocketAndClosedWithTheHeartbeatCode() {
        FakeWsConnection ws = fakeWs(Map.of());
        EngineIoSession s = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, ws);
        s.opened();
        advance(PING_INTERVAL);
        assertThat(ws.texts()).containsExactly("2");
        s.onWsText(ws, "3");
        advance(PING_INTERVAL);
        advance(PING_TIMEOUT);
        assertThat(closes).containsExactly("ping timeout");
        assertThat(ws.closedWith()).isEqualTo(DisconnectReason.HEARTBEAT_TIMEOUT);
    }

    @Test
    void aWebSocketClosedForItsOverflowingQueueIsASlowConsumerAnotherCloseIsNot() {
        FakeWsConnection slow = fakeWs(Map.of());
        EngineIoSession s = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, slow);
        s.opened();
        s.onWsClose(slow, DisconnectReason.SLOW_CONSUMER.closeCode());
        assertThat(closes).containsExactly("transport close");
        assertThat(s.cutOffAsSlowConsumer()).isTrue();

        FakeWsConnection gone = fakeWs(Map.of());
        EngineIoSession other = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, gone);
        other.opened();
        other.onWsClose(gone, 1001);
        assertThat(other.cutOffAsSlowConsumer()).isFalse();
    }

    /**
     * A session opened on a WebSocket keeps no long-polling state: a second WebSocket with its sid is closed (before
     * or after it sends a probe), a poll or a POST for it is refused, and its own socket goes on and closes cleanly.
     */
    @Test
    void aSessionOpenedOnAWebSocketRefusesProbesAndPolls() throws Exception {
        FakeWsConnection ws = fakeWs(Map.of());
        EngineIoSession s = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, ws);
        s.opened();
        FakeWsConnection stray = fakeWs(Map.of("sid", List.of(s.id())));
        s.onProbeOpen(stray);
        assertThat(stray.closedWith()).isEqualTo(DisconnectReason.NORMAL);
        FakeWsConnection late = fakeWs(Map.of("sid", List.of(s.id())));
        s.onWsText(late, "2probe");
        s.onWsBinary(late, new byte[] {1});
        s.onWsClose(late, 1000);
        assertThat(late.texts()).isEmpty();
        assertThat(s.writable()).isTrue();

        assertThat(poll(s).get(1, TimeUnit.SECONDS).status()).isEqualTo(400);
        assertThat(post(s, "4x").status()).isEqualTo(400);

        s.onWsText(ws, "4hello");
        s.send("hi");
        channel.runPendingTasks();
        assertThat(messages).containsExactly("hello");
        assertThat(ws.texts()).containsExactly("4hi");
        s.close();
        channel.runPendingTasks();
        assertThat(closes).containsExactly("forced close");
        assertThat(ws.closedWith()).isEqualTo(DisconnectReason.NORMAL);
    }

    @Test
    void upgradeProbesThenSwitchesAndFlushesWhatWaited() {
        EngineIoSession s = polling();
        CompletableFuture<HttpReply> held = poll(s);
        FakeWsConnection probe = fakeWs(Map.of("sid", List.of(s.id())));
        s.onProbeOpen(probe);
        s.onWsText(probe, "2probe");
        assertThat(probe.texts()).containsExactly("3probe");
        assertThat(held).isNotDone(); // a 5 read just after the probe would come first
        advance(Duration.ofMillis(EngineIoSession.UPGRADE_NOOP_MILLIS));
        assertThat(body(held)).isEqualTo("6"); // then the pending poll is released with a noop
        s.send("while upgrading");
        assertThat(s.transportName()).isEqualTo("polling");

        s.onWsText(probe, "5");
        channel.runPendingTasks();
        assertThat(s.transportName()).isEqualTo("websocket");
        assertThat(probe.texts()).containsExactly("3probe", "4while upgrading");
        s.send("after");
        assertThat(probe.texts()).endsWith("4after");
        s.onWsText(probe, "4from client");
        assertThat(messages).containsExactly("from client");
        assertThat(status(poll(s))).isEqualTo(400);
        assertThat(post(s, "4late").status()).isEqualTo(400);
        assertThat(closes).isEmpty();
    }

    @Test
    void aPollSentAfterTheProbeGetsItsNoopWithinTheUpgradeCheck() {
        // engine.io-protocol suite, "successfully upgrades from HTTP long-polling to WebSocket": 2probe, 3probe, then
        // a GET that must end with a noop (200 "6") before the client sends 5
        EngineIoSession s = polling();
        FakeWsConnection probe = fakeWs(Map.of("sid", List.of(s.id())));
        s.onProbeOpen(probe);
        s.onWsText(probe, "2probe");
        CompletableFuture<HttpReply> afterProbe = poll(s);
        assertThat(afterProbe).isNotDone();
        advance(Duration.ofMillis(EngineIoSession.UPGRADE_NOOP_MILLIS));
        assertThat(body(afterProbe)).isEqualTo("6");
        s.onWsText(probe, "5");
        s.onWsText(probe, "4hello");
        assertThat(s.transportName()).isEqualTo("websocket");
        assertThat(messages).containsExactly("hello");
        assertThat(closes).isEmpty();
    }

    @Test
    void aPollHeldWhenTheUpgradeCompletesIsRefusedAndTheWebSocketGoesOn() {
        // both suites, "ignore(s) HTTP requests with same sid after upgrade": 2probe and 5 sent back to back over the
        // WebSocket, then a GET over another connection: whichever the server reads first, the GET gets 400
        for (boolean getFirst : new boolean[] {true, false}) {
            EngineIoSession s = polling();
            FakeWsConnection probe = fakeWs(Map.of("sid", List.of(s.id())));
            s.onProbeOpen(probe);
            CompletableFuture<HttpReply> get = getFirst ? poll(s) : null;
            s.onWsText(probe, "2probe");
            if (!getFirst) get = poll(s);
            s.onWsText(probe, "5");
            assertThat(s.transportName()).isEqualTo("websocket");
            assertThat(get).isNotDone(); // answered by the upgrade check, after the 3probe
            advance(Duration.ofMillis(EngineIoSession.UPGRADE_NOOP_MILLIS));
            assertThat(status(get)).isEqualTo(400);
            s.onWsText(probe, "4hello");
            assertThat(messages).containsExactly("hello");
            assertThat(closes).isEmpty();
            messages.clear();
        }
    }

    @Test
    void ofTwoWebSocketsForOneSessionTheOneThatProbesUpgradesAndTheOtherIsClosed() {
        // engine.io-protocol suite, "ignores WebSocket connection with same sid after upgrade": the second WebSocket
        // may reach the session before the first one's opening did
        EngineIoSession s = polling();
        FakeWsConnection second = fakeWs(Map.of("sid", List.of(s.id())));
        FakeWsConnection first = fakeWs(Map.of("sid", List.of(s.id())));
        s.onProbeOpen(second);
        s.onProbeOpen(first);
        s.onWsText(first, "2probe");
        s.onWsText(first, "5");
        channel.runPendingTasks();
        assertThat(first.texts()).containsExactly("3probe");
        assertThat(second.closedWith()).isEqualTo(DisconnectReason.NORMAL);
        assertThat(first.closedWith()).isNull();
        s.onWsText(first, "4hello");
        assertThat(s.transportName()).isEqualTo("websocket");
        assertThat(messages).containsExactly("hello");
        assertThat(closes).isEmpty();
    }

    @Test
    void anUpgradeThatNeverCompletesDropsTheProbeAndKeepsPolling() {
        EngineIoSession s = polling();
        FakeWsConnection probe = fakeWs(Map.of("sid", List.of(s.id())));
        s.onProbeOpen(probe);
        s.onWsText(probe, "2probe");
        // the heartbeat goes on over polling meanwhile (a ping every second, answered)
        for (long t = 0; t < EngineIoConfig.DEFAULTS.upgradeTimeout().toMillis(); t += PING_INTERVAL.toMillis()) {
            advance(PING_INTERVAL);
            assertThat(body(poll(s))).isEqualTo("2");
            assertThat(post(s, "3").status()).isEqualTo(200);
        }
        assertThat(probe.closedWith()).isEqualTo(DisconnectReason.NORMAL);
        assertThat(s.transportName()).isEqualTo("polling");
        s.send("still polling");
        assertThat(body(poll(s))).isEqualTo("4still polling");
        assertThat(closes).isEmpty();
    }

    @Test
    void aSecondConcurrentGetIsRefusedAndClosesTheSession() {
        EngineIoSession s = polling();
        CompletableFuture<HttpReply> first = poll(s);
        CompletableFuture<HttpReply> second = poll(s);
        assertThat(status(second)).isEqualTo(400);
        assertThat(body(first)).isEqualTo("1");
        assertThat(closes).containsExactly("transport error");
        assertThat(server.sessionCount()).isZero();
        assertThat(status(poll(s))).isEqualTo(400);
    }

    @Test
    void aHeldPollWhoseConnectionDropsClosesTheSession() {
        EngineIoSession s = polling();
        FakeExchange exchange = new FakeExchange(channel.eventLoop());
        CompletableFuture<HttpReply> held = s.onPoll(request("GET", s, ""), exchange, Map.of());
        exchange.drop();
        assertThat(held).isNotDone();
        assertThat(closes).containsExactly("transport error");
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void aPostOverMaxPayloadIsRefusedWith413AndClosesTheSession() {
        EngineIoSession s = polling();
        assertThat(post(s, "4" + "x".repeat(1000)).status()).isEqualTo(413);
        assertThat(closes).containsExactly("transport error");
    }

    @Test
    void sessionsPingedInOneTickShareATimerAndEachKeepsItsOwnPongDeadline() {
        FakeWsConnection a = fakeWs(Map.of());
        EngineIoSession sa = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, a);
        sa.opened();
        late(Duration.ofMillis(3)); // within the same tick (pingInterval / 128 = 7.8 ms): pinged with a, not later
        FakeWsConnection b = fakeWs(Map.of());
        EngineIoSession sb = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, b);
        sb.opened();
        FakeWsConnection gone = fakeWs(Map.of());
        EngineIoSession sg = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, gone);
        sg.opened();
        sg.close();

        advance(PING_INTERVAL.minusMillis(3));
        assertThat(a.texts()).containsExactly("2");
        assertThat(b.texts()).containsExactly("2");
        assertThat(gone.texts()).doesNotContain("2");
        sa.onWsText(a, "3");
        advance(PING_TIMEOUT.minusMillis(1)); // b's pong is due pingInterval + pingTimeout after its own handshake
        assertThat(closes).containsExactly("forced close");
        advance(Duration.ofMillis(4));
        assertThat(closes).containsExactly("forced close", "ping timeout");
        assertThat(sb.isOpen()).isFalse();
        assertThat(sa.isOpen()).isTrue();
    }

    // ---- helpers ----

    private EngineIoSession polling() {
        EngineIoSession s = server.open(channel.eventLoop(), request(Map.of()), Principal.ANONYMOUS, null);
        s.opened();
        return s;
    }

    private CompletableFuture<HttpReply> poll(EngineIoSession s) {
        return s.onPoll(request("GET", s, ""), new FakeExchange(channel.eventLoop()), Map.of());
    }

    private HttpReply post(EngineIoSession s, String payload) {
        return s.onData(request("POST", s, payload), Map.of());
    }

    private void advance(Duration d) {
        late(d);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** Time passes, but the loop runs no timer yet (as a busy one). */
    private void late(Duration d) {
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        now[0] += d.toNanos();
    }

    private FakeWsConnection fakeWs(Map<String, List<String>> query) {
        return new FakeWsConnection(channel.eventLoop(), Principal.ANONYMOUS,
                new Authenticator.Request("/socket.io/", Map.of(), query, "127.0.0.1"));
    }

    private static String body(CompletableFuture<HttpReply> reply) {
        assertThat(reply).isDone();
        HttpReply r = reply.join();
        assertThat(r.status()).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static int status(CompletableFuture<HttpReply> reply) {
        assertThat(reply).isDone();
        return reply.join().status();
    }

    private static HttpRequestData request(String method, EngineIoSession s, String body) {
        return new HttpRequestData(method, "/socket.io/", query("EIO", "4", "transport", "polling", "sid", s.id()), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    private static Authenticator.Request request(Map<String, List<String>> query) {
        return new Authenticator.Request("/socket.io/", Map.of(), query, "127.0.0.1");
    }

    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) q.put(pairs[i], List.of(pairs[i + 1]));
        return q;
    }
}
