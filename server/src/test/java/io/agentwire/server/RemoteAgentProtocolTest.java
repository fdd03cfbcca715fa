package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote agents' wire protocol (docs/remote-agents.md) spoken by hand over the JDK's WebSocket client: the API
 * key at the handshake, every documented error for bad input (the connection survives), exactly-once publication
 * of resent messages, runs the agent does not own, a confirmation answered while the agent is away, a cancel
 * while it is away, a run started while it is away, and a cancel the agent ignores.
 */
@Tag("integration")
class RemoteAgentProtocolTest {
    static final String KEY = RemoteAgentsTest.KEY;

    @TempDir Path dir;

    private AgentWireServer server(String grace) {
        return new AgentWireServer(RemoteAgentsTest.config(dir, grace, Map.of(
                "agentwire.envelope.max-payload", "16KiB", "agentwire.agents.remote.cancel-timeout", "1s")));
    }

    private static JsonSocket agent(int port) {
        return new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/agents"), Map.of("X-API-Key", KEY));
    }

    private static JsonNode register(JsonSocket a, String name, String resume) throws InterruptedException {
        a.send("{\"type\":\"register\",\"name\":\"" + name + "\",\"capabilities\":[\"test\"],\"version\":\"1\""
                + ",\"resume\":[" + resume + "]}");
        return a.awaitType("registered");
    }

    private static JsonNode error(JsonSocket a, String json) throws InterruptedException {
        a.send(json);
        return a.awaitType("error");
    }

    private static void assertError(JsonSocket a, String json, String code, String field) throws InterruptedException {
        JsonNode e = error(a, json);
        assertThat(e.path("code").asText()).as("code of the answer to %s: %s", json, e).isEqualTo(code);
        if (field != null) assertThat(e.path("field").asText()).as("field of %s", e).isEqualTo(field);
        assertThat(e.path("message").asText()).isNotBlank();
    }

    private static String event(String runId, long n, String event, String rest) {
        return "{\"type\":\"event\",\"run_id\":\"" + runId + "\",\"n\":" + n + ",\"event\":\"" + event + "\"" + rest + "}";
    }

    /** Starts a run of agent {@code name} from a new session of {@code c}; returns the run.start the agent got. */
    private static JsonNode startRun(JsonSocket c, JsonSocket a, String name) throws InterruptedException {
        String session = RemoteAgentsTest.createSession(c);
        c.send("{\"event\":\"user.message\",\"session_id\":\"" + session + "\",\"content\":{\"text\":\"hello\"},"
                + "\"metadata\":{\"agent\":\"" + name + "\",\"trace\":7}}");
        return a == null ? null : a.awaitType("run.start");
    }

    /** Registers {@code a} as {@code name}, starts a run of it and publishes its plan.start (n 1); the run id. */
    private static String runWithAPlanStart(JsonSocket c, JsonSocket a, String name) throws InterruptedException {
        register(a, name, "");
        String run = startRun(c, a, name).path("run_id").asText();
        a.send(event(run, 1, "plan.start", ""));
        a.awaitType("ack");
        return run;
    }

    @Test
    void theUpgradeNeedsTheApiKey() throws Exception {
        try (AgentWireServer server = server("30s")) {
            int port = server.start();
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-API-Key", "wrong"))) {
                WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
                headers.forEach(builder::header);
                assertThatThrownBy(() -> builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/agents"), new WebSocket.Listener() { }).join())
                        .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                        .satisfies(e -> {
                            var response = ((WebSocketHandshakeException) e).getResponse();
                            assertThat(response.statusCode()).isEqualTo(401);
                            assertThat(String.valueOf(response.body())).contains(headers.isEmpty() ? "AUTH_MISSING" : "AUTH_FAILED");
                        });
            }
            try (JsonSocket bearer = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/agents"),
                    Map.of("Authorization", "Bearer " + KEY))) {
                assertThat(register(bearer, "bearer-agent", "").path("grace_ms").asLong()).isEqualTo(30_000);
            }
        }
    }

    @Test
    void badInputIsAnsweredWithTheDocumentedErrorsAndResentMessagesArePublishedOnce() throws Exception {
        try (AgentWireServer server = server("30s");
             JsonSocket a = agent(server.start());
             JsonSocket other = agent(server.port());
             JsonSocket c = RemoteAgentsTest.client(server.port())) {
            assertError(a, "not json", "INVALID_JSON", null);
            assertError(a, "[1,2]", "INVALID_MESSAGE", null);
            assertError(a, "{\"type\":\"dance\"}", "UNKNOWN_EVENT", "type");
            assertError(a, "{\"name\":\"x\"}", "MISSING_FIELD", "type");
            assertError(a, event("run_000000000000", 1, "agent.thinking", ""), "NOT_REGISTERED", null);
            assertError(a, "{\"type\":\"register\",\"name\":\"Bad Name\"}", "INVALID_FIELD", "name");
            assertError(a, "{\"type\":\"register\",\"name\":\"raw\",\"capabilities\":\"all\"}", "INVALID_FIELD", "capabilities");
            assertError(a, "{\"type\":\"register\",\"name\":\"demo\"}", "AGENT_NAME_TAKEN", "name");
            JsonNode registered = register(a, "raw", "");
            assertThat(registered.path("name").asText()).isEqualTo("raw");
            assertThat(registered.path("resumed").asBoolean()).isFalse();
            assertThat(registered.path("heartbeat_interval_ms").asLong()).isPositive();
            assertError(other, "{\"type\":\"register\",\"name\":\"raw\"}", "AGENT_NAME_TAKEN", "name");
            assertError(a, "{\"type\":\"register\",\"name\":\"raw-two\"}", "INVALID_MESSAGE", "type");
            register(other, "raw-other", "");
            assertError(a, event("run_000000000000", 1, "agent.thinking", ""), "UNKNOWN_RUN", "run_id");

            JsonNode start = startRun(c, a, "raw");
            String run = start.path("run_id").asText();
            assertThat(start.path("text").asText()).isEqualTo("hello");
            assertThat(start.path("metadata").path("trace").asInt()).isEqualTo(7);
            assertThat(start.path("session_id").asText()).startsWith("sess_");

            a.send(event(run, 1, "agent.thinking", ",\"content\":{\"text\":\"hm\"},\"metadata\":{\"run_id\":\"forged\"}"));
            JsonNode ack = a.awaitType("ack");
            assertThat(ack.path("n").asLong()).isEqualTo(1);
            long seq = ack.path("seq").asLong();
            a.send(event(run, 1, "agent.thinking", ",\"content\":{\"text\":\"hm\"}")); // resent: answered, not published
            assertThat(a.awaitType("ack").path("seq").asLong()).isEqualTo(seq);
            assertError(a, event(run, 2, "user.message", ""), "INVALID_FIELD", "event");
            assertError(a, event(run, 2, "system.connected", ""), "INVALID_FIELD", "event");
            assertError(a, event(run, 2, "pipeline.completed", ""), "INVALID_FIELD", "event");
            assertError(a, event(run, 2, "Thinking", ""), "INVALID_FIELD", "event");
            assertError(a, event(run, 2, "agent.thinking", ",\"content\":\"text\""), "INVALID_FIELD", "content");
            assertError(a, event(run, 0, "agent.thinking", ""), "INVALID_FIELD", "n");
            assertError(a, "{\"type\":\"event\",\"run_id\":\"" + run + "\",\"event\":\"agent.thinking\"}", "MISSING_FIELD", "n");
            assertError(a, event(run, 2, "agent.user_confirm", ",\"content\":{\"prompt\":\"ok?\"}"), "MISSING_FIELD", "step_id");
            assertError(a, event(run, 2, "agent.user_confirm", ",\"step_id\":\"s\",\"content\":{\"prompt\":\"ok?\",\"options\":[\"a\"]},"
                    + "\"metadata\":{\"default_option\":\"b\"}"), "INVALID_FIELD", "metadata.default_option");
            assertError(other, event(run, 2, "agent.thinking", ""), "UNKNOWN_RUN", "run_id"); // not its run
            a.send("{\"type\":\"heartbeat\"}");

            a.send("{\"type\":\"run.end\",\"run_id\":\"" + run + "\",\"n\":5,\"status\":\"completed\",\"metadata\":{\"tasks\":0}}");
            JsonNode endAck = a.awaitType("ack");
            assertThat(endAck.path("n").asLong()).isEqualTo(5);
            assertThat(endAck.path("seq").asLong()).isEqualTo(seq + 1);
            a.send("{\"type\":\"run.end\",\"run_id\":\"" + run + "\",\"n\":5}"); // resent after the run ended
            assertThat(a.awaitType("ack").path("seq").asLong()).isEqualTo(seq + 1);
            JsonNode ended = error(a, event(run, 6, "agent.thinking", ""));
            assertThat(ended.path("code").asText()).isEqualTo("UNKNOWN_RUN");
            assertThat(ended.path("message").asText()).contains("has ended (completed)");

            JsonNode done = c.awaitEvent("pipeline.completed");
            assertThat(done.path("metadata").path("tasks").asInt()).isZero();
            List<JsonNode> events = RemoteAgentsTest.runEvents(c, run);
            assertThat(RemoteAgentsTest.names(events)).containsExactly("agent.thinking", "pipeline.completed");
            assertThat(events.get(0).path("seq").asLong()).isEqualTo(seq);
            assertThat(events.get(0).path("metadata").path("run_id").asText()).isEqualTo(run);
            assertThat(a.closed).isNotDone();
        }
    }

    @Test
    void binaryAndOversizedFramesCloseOnlyTheirConnection() throws Exception {
        try (AgentWireServer server = server("30s");
             JsonSocket a = agent(server.start());
             JsonSocket b = agent(server.port());
             JsonSocket survivor = agent(server.port())) {
            register(survivor, "survivor", "");
            a.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            assertThat(a.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1003);
            b.send("{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
            assertThat(b.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1009);
            assertError(survivor, "{}", "MISSING_FIELD", "type");
        }
    }

    @Test
    void aConfirmationResentAfterAReconnectIsAskedOnceAndItsAnswerReachesTheAgent() throws Exception {
        String confirm = ",\"step_id\":\"ok_1\",\"content\":{\"prompt\":\"Go?\",\"options\":[\"yes\",\"no\"]},"
                + "\"metadata\":{\"timeout_ms\":60000,\"default_option\":\"no\"}";
        try (AgentWireServer server = server("60s");
             JsonSocket c = RemoteAgentsTest.client(server.start())) {
            String run;
            try (JsonSocket a = agent(server.port())) {
                run = runWithAPlanStart(c, a, "raw-c");
                a.send(event(run, 2, "agent.user_confirm", confirm));
                JsonNode asked = c.awaitEvent("agent.user_confirm");
                assertThat(asked.path("metadata").path("default_option").asText()).isEqualTo("no");
            } // dropped while the user is asked, before any answer
            try (JsonSocket back = agent(server.port())) {
                JsonNode registered = register(back, "raw-c", "\"" + run + "\"");
                assertThat(registered.path("resumed").asBoolean()).isTrue();
                assertThat(registered.path("runs").get(0).path("state").asText()).isEqualTo("resumed");
                assertThat(registered.path("runs").get(0).path("last_n").asLong()).isEqualTo(1);
                back.send(event(run, 2, "agent.user_confirm", confirm)); // not acked: sent again
                c.send("{\"event\":\"user.response\",\"session_id\":\"" + RemoteAgentsTest.runEvents(c, run).get(0)
                        .path("session_id").asText() + "\",\"step_id\":\"ok_1\",\"content\":{\"value\":\"yes\"}}");
                JsonNode response = back.awaitType("run.response");
                assertThat(response.path("step_id").asText()).isEqualTo("ok_1");
                assertThat(response.path("n").asLong()).isEqualTo(2);
                assertThat(response.path("content").path("value").asText()).isEqualTo("yes");
                assertThat(back.awaitType("ack").path("n").asLong()).isEqualTo(2);
                assertThat(back.awaitType("run.response").path("content")).isEqualTo(response.path("content")); // the resend's answer
                back.send("{\"type\":\"run.end\",\"run_id\":\"" + run + "\",\"n\":3}");
                assertThat(c.awaitEvent("pipeline.completed").path("metadata").path("status").asText()).isEqualTo("completed");
                assertThat(RemoteAgentsTest.names(RemoteAgentsTest.runEvents(c, run)))
                        .containsExactly("plan.start", "agent.user_confirm", "pipeline.completed");
                RemoteAgentsTest.assertContiguous(RemoteAgentsTest.runEvents(c, run));
            }
        }
    }

    @Test
    void aRunStartedWhileTheAgentIsAwayIsOfferedWhenItIsBackAndACancelWhileAwayEndsARunAtOnce() throws Exception {
        try (AgentWireServer server = server("60s");
             JsonSocket c = RemoteAgentsTest.client(server.start())) {
            String first;
            try (JsonSocket a = agent(server.port())) {
                first = runWithAPlanStart(c, a, "raw-away");
            }
            JsonNode planned = c.awaitEvent("plan.start");
            c.send("{\"event\":\"user.cancel\",\"session_id\":\"" + planned.path("session_id").asText() + "\"}");
            JsonNode cancelled = c.awaitEvent("pipeline.completed");
            assertThat(cancelled.path("metadata").path("status").asText()).isEqualTo("cancelled");
            startRun(c, null, "raw-away"); // accepted while the agent is away: no AGENT_NOT_FOUND
            try (JsonSocket back = agent(server.port())) {
                JsonNode registered = register(back, "raw-away", "\"" + first + "\"");
                assertThat(registered.path("runs").get(0).path("state").asText()).isEqualTo("ended");
                assertThat(registered.path("runs").get(0).path("status").asText()).isEqualTo("cancelled");
                String second = back.awaitType("run.start").path("run_id").asText();
                assertThat(second).isNotEqualTo(first);
                back.send(event(second, 1, "agent.thinking", ""));
                back.awaitType("ack");
                c.send("{\"event\":\"user.cancel\",\"session_id\":\"" + c.awaitEvent("agent.thinking")
                        .path("session_id").asText() + "\"}");
                assertThat(back.awaitType("run.cancel").path("run_id").asText()).isEqualTo(second);
                // the agent ignores the cancel: after the cancel timeout the run ends cancelled anyway
                JsonNode done = c.await(n -> "pipeline.completed".equals(n.path("event").asText())
                        && second.equals(n.path("metadata").path("run_id").asText()), "the second run's end");
                assertThat(done.path("metadata").path("status").asText()).isEqualTo("cancelled");
                assertThat(error(back, event(second, 2, "agent.thinking", "")).path("code").asText()).isEqualTo("UNKNOWN_RUN");
            }
            assertThat(c.all.stream().filter(n -> "error.validation".equals(n.path("event").asText()))).isEmpty();
        }
    }

    @Test
    void aSilentAgentIsClosedByTheHeartbeatAndARunWaitingForAConfirmationIsLostAfterTheGrace() throws Exception {
        try (AgentWireServer server = new AgentWireServer(RemoteAgentsTest.config(dir, "1s", Map.of(
                "agentwire.agents.remote.heartbeat-interval", "300ms", "agentwire.agents.remote.heartbeat-timeout", "2s")));
             JsonSocket c = RemoteAgentsTest.client(server.start());
             JsonSocket a = agent(server.port())) {
            String session = RemoteAgentsTest.createSession(c); // before the agent's heartbeat clock starts
            register(a, "raw-silent", "");
            c.send("{\"event\":\"user.message\",\"session_id\":\"" + session + "\",\"content\":{\"text\":\"hi\"},"
                    + "\"metadata\":{\"agent\":\"raw-silent\"}}");
            String run = a.awaitType("run.start").path("run_id").asText();
            a.send(event(run, 1, "agent.user_confirm", ",\"step_id\":\"ask\",\"content\":{\"prompt\":\"Go?\"},"
                    + "\"metadata\":{\"timeout_ms\":600000}"));
            JsonNode asked = c.awaitEvent("agent.user_confirm");
            assertThat(a.awaitType("heartbeat").path("ts").asLong()).isPositive();
            // the agent says nothing more: closed for silence, then its grace runs out while the user is asked
            assertThat(a.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1001);
            JsonNode error = c.awaitEvent("agent.error");
            assertThat(error.path("metadata").path("code").asText()).isEqualTo("REMOTE_AGENT_LOST");
            assertThat(c.awaitEvent("pipeline.completed").path("metadata").path("status").asText()).isEqualTo("failed");
            List<JsonNode> events = RemoteAgentsTest.runEvents(c, run);
            assertThat(RemoteAgentsTest.names(events)).containsExactly("agent.user_confirm", "agent.error", "pipeline.completed");
            RemoteAgentsTest.assertContiguous(events);
            c.send("{\"event\":\"user.response\",\"session_id\":\"" + asked.path("session_id").asText()
                    + "\",\"step_id\":\"ask\",\"content\":{\"approved\":true}}");
            assertThat(c.awaitEvent("error.validation").path("metadata").path("code").asText()).isEqualTo("UNKNOWN_STEP");
        }
    }
}
