package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.transport.Transport;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official socket.io-client 4.8 (on Node.js) against AgentWire's Socket.IO server, over real sockets. */
@Tag("integration")
class SocketIoClientIntegrationTest {
    static Transport transport;
    static TestApp app;
    static TestApp shortRecovery;
    static TestApp slowHistory;

    @BeforeAll
    static void start() {
        transport = Transport.create(2);
        app = new TestApp(transport, "main", SocketIoRecovery.DEFAULTS);
        shortRecovery = new TestApp(transport, "short", SocketIoRecovery.within(Duration.ofMillis(400)));
        slowHistory = new TestApp(transport, "slow", SocketIoRecovery.DEFAULTS, new SlowHistoryBroker(Duration.ofMillis(150)));
    }

    @AfterAll
    static void stop() {
        app.close();
        shortRecovery.close();
        slowHistory.close();
        transport.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "upgrade"})
    void emitAckAndBinaryBothWaysOnEachTransport(String scenario) throws Exception {
        JsonNode r = NodeHarness.run(scenario, app.port);
        assertThat(r.get("connected").asBoolean()).isTrue();
        assertThat(r.get("auth").get(0).isObject()).isTrue();
        assertThat(r.get("echoed").toString()).isEqualTo("[1,\"two\",{\"three\":[true]}]");
        assertThat(r.get("answered").asText()).isEqualTo("why!");
        assertThat(r.get("binEcho").toString()).isEqualTo("{\"file\":[1,2,3],\"part0\":[4],\"deep\":[5,6]}");
        assertThat(r.get("pushed").toString()).isEqualTo("{\"isBuffer\":true,\"data\":[7,8,9],\"nested\":[10]}");
        assertThat(r.get("transport").asText()).isEqualTo(scenario.equals("polling") ? "polling" : "websocket");
    }

    @Test
    void severalNamespacesShareOneConnection() throws Exception {
        JsonNode r = NodeHarness.run("namespaces", app.port);
        assertThat(r.get("engines").asBoolean()).isTrue();
        assertThat(r.get("a").toString()).isEqualTo("[\"admin\"]");
        assertThat(r.get("m").toString()).isEqualTo("[\"main\"]");
    }

    @Test
    void middlewareAcceptsAndRejectsWithMessageAndData() throws Exception {
        JsonNode r = NodeHarness.run("middleware", app.port);
        assertThat(r.get("accepted").get(0).get("user").asText()).isEqualTo("ada");
        assertThat(r.get("rejected").get("message").asText()).isEqualTo("not authorized");
        assertThat(r.get("rejected").get("data").get("reason").asText()).isEqualTo("bad token");
        assertThat(r.get("unknownNamespace").asText()).isEqualTo("Invalid namespace");
    }

    @Test
    void aLaterHandlerReplacesAnEarlierOneBelowAndAboveEightHandlers() throws Exception {
        JsonNode r = NodeHarness.run("handlers", app.port);
        assertThat(r.get("answers").toString()).isEqualTo("[0,1,\"new\",3,4,5,6,7,8,\"new\"]");
    }

    @Test
    void roomBroadcastHonoursExcept() throws Exception {
        JsonNode r = NodeHarness.run("rooms", app.port);
        assertThat(r.get("a").toString()).isEqualTo("[\"second\"]");
        assertThat(r.get("b").toString()).isEqualTo("[\"hello room\",\"second\"]");
        assertThat(r.get("c").toString()).isEqualTo("[]");
    }

    @Test
    void serverSideDisconnectReachesTheClientOnly() throws Exception {
        JsonNode r = NodeHarness.run("serverDisconnect", app.port);
        assertThat(r.get("reason").asText()).isEqualTo("io server disconnect");
        assertThat(r.get("stillFine").toString()).isEqualTo("[\"ok\"]");
    }

    @Test
    void reconnectRecoversIdRoomsDataAndMissedEventsExactlyOnceInOrder() throws Exception {
        JsonNode r = NodeHarness.run("recovery", app.port);
        assertThat(r.get("recovered").asBoolean()).isTrue();
        assertThat(r.get("sameId").asBoolean()).isTrue();
        assertThat(r.get("ticks").toString()).isEqualTo("[1,2,3,4,5]");
        assertThat(r.get("club").toString()).isEqualTo("[\"for members\"]");
        JsonNode who = r.get("who");
        assertThat(who.get(1).asBoolean()).isTrue();
        assertThat(who.get(2).get("note").asText()).isEqualTo("remember me");
        assertThat(who.get(3).toString()).contains("\"club\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"recoveryDirect", "recoveryDirectPolling"})
    void recoveredClientGetsMissedDirectEmitsAndBroadcastsOnceInTheOrderSent(String scenario) throws Exception {
        JsonNode r = NodeHarness.run(scenario, app.port);
        assertThat(r.get("recovered").asBoolean()).isTrue();
        assertThat(r.get("sameId").asBoolean()).isTrue();
        // 0 live; 1-8 missed (5 went to b, 7 to an empty room); 9-11 live again
        assertThat(r.get("got").toString()).isEqualTo("[0,1,2,3,4,6,8,9,10,11]");
        assertThat(r.get("bGot").toString()).isEqualTo("[2,5,8,10]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "slow history"})
    void eventsEmittedWhileTheClientDropsAndRecoversArriveExactlyOnceInOrder(String broker) throws Exception {
        // with a slow history read, the events dispatched during the replay are held, then delivered after it
        JsonNode r = NodeHarness.run("handover", (broker.equals("memory") ? app : slowHistory).port);
        assertThat(r.get("recovered").asBoolean()).isTrue();
        assertThat(r.get("inOrder").asBoolean()).as("in order, from the first event out of place: %s", r).isTrue();
        assertThat(r.get("count").asInt()).isEqualTo(1500);
        assertThat(r.get("last").asInt()).isEqualTo(1500);
    }

    @Test
    void aClientReceivesWhatIsAimedAtItsRoomsAndIdAndNothingElse() throws Exception {
        JsonNode r = NodeHarness.run("notInRoom", app.port);
        assertThat(r.get("a").toString()).isEqualTo("[\"to r1\",\"to a\",\"to all\"]");
        assertThat(r.get("b").toString()).isEqualTo("[\"to r2\",\"to all\"]");
        assertThat(r.get("c").toString()).isEqualTo("[\"to all\"]");
    }

    @Test
    void twoHundredSocketsEachGetExactlyTheirOwnDirectEmits() throws Exception {
        JsonNode r = NodeHarness.run("many", app.port);
        assertThat(r.get("sockets").asInt()).isEqualTo(200);
        assertThat(r.get("wrong").toString()).isEqualTo("[]");
        assertThat(r.get("received").asInt()).isEqualTo(200 * 5);
    }

    @Test
    void droppingAHeldPollClosesTheSessionAndTheSocketSeesTheDisconnect() throws Exception {
        JsonNode r = NodeHarness.run("dropPoll", app.port);
        assertThat(r.get("outcome").asText()).isEqualTo("dropped");
        assertThat(r.get("afterStatus").asInt()).isEqualTo(400);
        assertThat(r.get("afterBody").asText()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        String socketId = r.get("socketId").asText();
        for (int i = 0; i < 100 && !app.disconnects.containsKey(socketId); i++) Thread.sleep(50);
        assertThat(app.disconnects.get(socketId)).isEqualTo("transport error");
    }

    @Test
    void afterMaxDisconnectionDurationTheClientIsNotRecovered() throws Exception {
        JsonNode r = NodeHarness.run("expired", shortRecovery.port);
        assertThat(r.get("recovered").asBoolean()).isFalse();
        assertThat(r.get("sameId").asBoolean()).isFalse();
        assertThat(r.get("ticks").toString()).isEqualTo("[1,5]");
        assertThat(r.get("club").toString()).isEqualTo("[]");
    }

    @Test
    void badInputIsAnsweredPerSpecAndTouchesNoOtherClient() throws Exception {
        JsonNode r = NodeHarness.run("raw", app.port);
        assertThat(r.get("badVersion").toString()).isEqualTo("[400,\"{\\\"code\\\":5,\\\"message\\\":\\\"Unsupported protocol version\\\"}\"]");
        assertThat(r.get("noTransport").toString()).isEqualTo("[400,\"{\\\"code\\\":0,\\\"message\\\":\\\"Transport unknown\\\"}\"]");
        assertThat(r.get("badTransport").get(0).asInt()).isEqualTo(400);
        assertThat(r.get("badMethod").toString()).isEqualTo("[400,\"{\\\"code\\\":2,\\\"message\\\":\\\"Bad handshake method\\\"}\"]");
        assertThat(r.get("unknownSid").toString()).isEqualTo("[400,\"{\\\"code\\\":1,\\\"message\\\":\\\"Session ID unknown\\\"}\"]");
        assertThat(r.get("open").get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(r.get("open").get("maxPayload").asInt()).isEqualTo(1000);
        assertThat(r.get("connectPost").asInt()).isEqualTo(200);
        assertThat(r.get("connectReply").asText()).startsWith("40{\"sid\":");
        assertThat(r.get("overlap").get(0).get(1).asText()).isEqualTo("1");
        assertThat(r.get("overlap").get(1).get(0).asInt()).isEqualTo(400);
        assertThat(r.get("afterOverlap").get(0).asInt()).isEqualTo(400);
        assertThat(r.get("oversized").asInt()).isEqualTo(413);
        for (String c : new String[] {"unknownType", "nonArrayEvent", "badAck", "eventForOtherNamespace", "oversizedFrame"}) {
            assertThat(r.get(c).get("closed").asBoolean()).as(c).isTrue();
        }
        assertThat(r.get("unknownNamespace").get("closed").asBoolean()).isFalse();
        assertThat(r.get("unknownNamespace").get("got").toString()).contains("44/random,{\\\"message\\\":\\\"Invalid namespace\\\"}");
        assertThat(r.get("unknownSidWs").asInt()).isEqualTo(400);
        assertThat(r.get("bystander").toString()).isEqualTo("[\"still here\"]");
    }
}
