package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote agents end to end: the reference Node agent (examples/remote-agent) registers over /agents and an
 * envelope client runs it through the real server — events in order, confirm and reject, cancel, SIGKILL of the
 * agent mid-run and back within the grace period (the run goes on, no gap, no duplicate), and not back in time
 * (REMOTE_AGENT_LOST, then pipeline.completed failed).
 */
@Tag("integration")
class RemoteAgentsTest {
    static final String KEY = "remote-agents-test-key-0123456789";
    static final String AGENT = "node-test";

    @TempDir Path dir;

    /** Dev mode (anonymous envelope clients) with an API key and the given remote-agent settings. */
    static AgentWireConfig config(Path dir, String grace, Map<String, Object> more) {
        Map<String, Object> flags = new LinkedHashMap<>(TestConfigs.local(dir.resolve("data")));
        flags.put("agentwire.dev", true);
        flags.put("agentwire.agents.remote.grace", grace);
        flags.put("agentwire.agents.remote.cancel-timeout", "10s");
        flags.putAll(more);
        return AgentWireConfig.load(null, Map.of("AGENTWIRE_API_KEY", KEY), flags);
    }

    static JsonSocket client(int port) throws InterruptedException {
        JsonSocket c = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws"));
        c.awaitEvent("system.connected");
        return c;
    }

    static String createSession(JsonSocket c) throws InterruptedException {
        c.send("{\"event\":\"user.create_session\",\"content\":{}}");
        return c.awaitEvent("agent.session_created").path("content").path("session_id").asText();
    }

    static void message(JsonSocket c, String session, String text, String metadata) {
        c.send("{\"event\":\"user.message\",\"session_id\":\"" + session + "\",\"content\":{\"text\":\"" + text
                + "\"},\"metadata\":{\"agent\":\"" + AGENT + "\"" + metadata + "}}");
    }

    /** The run's session events (those with a seq) the client received, in arrival order. */
    static List<JsonNode> runEvents(JsonSocket c, String runId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : c.all) {
            if (n.has("seq") && runId.equals(n.path("metadata").path("run_id").asText())) out.add(n);
        }
        return out;
    }

    static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event").asText()).toList();
    }

    /** Seqs rise by exactly one across the run (no gap, no duplicate). */
    static void assertContiguous(List<JsonNode> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).path("seq").asLong()).as("seq after %s", events.get(i - 1))
                    .isEqualTo(events.get(i - 1).path("seq").asLong() + 1);
        }
    }

    static final List<String> PLANNED = List.of("plan.start", "agent.thinking", "plan.completed", "agent.user_confirm",
            "solver.start", "agent.partial_answer", "solver.completed", "solver.start", "agent.partial_answer",
            "solver.completed", "agent.final_answer", "pipeline.completed");

    @Test
    void aRunStreamsInOrderConfirmsAndRejectsAndTheAgentIsCounted() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(dir, "30s", Map.of()));
             NodeAgent agent = NodeAgent.start(server.start(), KEY, AGENT, dir.resolve("state.json"), 20);
             JsonSocket c = client(server.port())) {
            JsonNode registered = agent.awaitLog("registered");
            assertThat(registered.path("name").asText()).isEqualTo(AGENT);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("agentwire_agents_remote_connected 1.0", "agentwire_agents_remote_away 0.0");

            String session = createSession(c);
            message(c, session, "Compare three vector databases", "");
            JsonNode confirm = c.awaitEvent("agent.user_confirm");
            String runId = confirm.path("metadata").path("run_id").asText();
            assertThat(confirm.path("content").path("options")).hasSize(2);
            c.send("{\"event\":\"user.response\",\"session_id\":\"" + session + "\",\"step_id\":\""
                    + confirm.path("step_id").asText() + "\",\"content\":{\"approved\":true}}");
            JsonNode done = c.awaitEvent("pipeline.completed");
            assertThat(done.path("metadata").path("status").asText()).isEqualTo("completed");
            assertThat(done.path("metadata").path("agent").asText()).isEqualTo(AGENT);
            List<JsonNode> events = runEvents(c, runId);
            assertThat(names(events)).containsExactlyElementsOf(PLANNED);
            assertThat(events.get(0).path("seq").asLong()).isEqualTo(2); // 1 is agent.session_created
            assertContiguous(events);
            assertThat(events.get(0).path("content").path("query").asText()).isEqualTo("Compare three vector databases");

            message(c, session, "Something to reject", "");
            JsonNode second = c.await(n -> "agent.user_confirm".equals(n.path("event").asText())
                    && !runId.equals(n.path("metadata").path("run_id").asText()), "the second confirmation");
            c.send("{\"event\":\"user.response\",\"session_id\":\"" + session + "\",\"step_id\":\""
                    + second.path("step_id").asText() + "\",\"content\":{\"value\":\"reject\"}}");
            JsonNode rejected = c.awaitEvent("pipeline.completed");
            assertThat(rejected.path("metadata").path("status").asText()).isEqualTo("rejected");
            assertThat(names(runEvents(c, second.path("metadata").path("run_id").asText()))).containsExactly(
                    "plan.start", "agent.thinking", "plan.completed", "agent.user_confirm", "plan.cancelled",
                    "pipeline.completed");
        }
    }

    @Test
    void oneAgentRunsTheRunsOfSeveralSessionsAtOnce() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(dir, "30s", Map.of()));
             NodeAgent agent = NodeAgent.start(server.start(), KEY, AGENT, dir.resolve("state.json"), 30);
             JsonSocket a = client(server.port());
             JsonSocket b = client(server.port())) {
            agent.awaitLog("registered");
            List<JsonSocket> clients = List.of(a, b);
            for (JsonSocket c : clients) message(c, createSession(c), "In parallel", ",\"confirm\":false");
            for (JsonSocket c : clients) {
                JsonNode done = c.awaitEvent("pipeline.completed");
                assertThat(done.path("metadata").path("status").asText()).isEqualTo("completed");
                List<JsonNode> events = runEvents(c, done.path("metadata").path("run_id").asText());
                assertThat(events).hasSize(PLANNED.size() - 1).allSatisfy(e ->
                        assertThat(e.path("session_id").asText()).isEqualTo(done.path("session_id").asText()));
                assertContiguous(events);
            }
        }
    }

    @Test
    void aCancelReachesTheAgentWhichReportsWhatItStopped() throws Exception {
        try (AgentWireServer server = new AgentWireServer(config(dir, "30s", Map.of()));
             NodeAgent agent = NodeAgent.start(server.start(), KEY, AGENT, dir.resolve("state.json"), 200);
             JsonSocket c = client(server.port())) {
            agent.awaitLog("registered");
            String session = createSession(c);
            message(c, session, "Something long", ",\"confirm\":false");
            JsonNode solving = c.awaitEvent("solver.start");
            c.send("{\"event\":\"user.cancel\",\"session_id\":\"" + session + "\",\"metadata\":{\"run_id\":\""
                    + solving.path("metadata").path("run_id").asText() + "\"}}");
            assertThat(agent.awaitLog("run.cancel").path("run_id").asText())
                    .isEqualTo(solving.path("metadata").path("run_id").asText());
            JsonNode done = c.awaitEvent("pipeline.completed");
            assertThat(done.path("metadata").path("status").asText()).isEqualTo("cancelled");
            List<JsonNode> events = runEvents(c, solving.path("metadata").path("run_id").asText());
            assertThat(names(events)).contains("solver.cancelled").doesNotContain("agent.final_answer");
            assertThat(names(events).get(events.size() - 2)).isEqualTo("solver.cancelled");
            assertContiguous(events);
        }
    }

    /**
     * Starts the Node agent and a run of it, and kills the agent (SIGKILL) while the run waits for the user's
     * confirmation (a point the agent can not have passed); returns that agent.user_confirm.
     */
    private static JsonNode killMidRun(AgentWireServer server, JsonSocket c, String session, Path state) throws Exception {
        try (NodeAgent first = NodeAgent.start(server.port(), KEY, AGENT, state, 20)) {
            first.awaitLog("registered");
            message(c, session, "Survive a crash", "");
            JsonNode confirm = c.awaitEvent("agent.user_confirm");
            first.kill();
            return confirm;
        }
    }

    @Test
    void anAgentKilledMidRunAndBackWithinTheGraceGoesOnWithNoGapAndNoDuplicate() throws Exception {
        Path state = dir.resolve("state.json");
        try (AgentWireServer server = new AgentWireServer(config(dir, "60s", Map.of()));
             JsonSocket c = client(server.start())) {
            String session = createSession(c);
            JsonNode confirm = killMidRun(server, c, session, state);
            // answered while the agent is down: the run keeps the answer for it
            c.send("{\"event\":\"user.response\",\"session_id\":\"" + session + "\",\"step_id\":\""
                    + confirm.path("step_id").asText() + "\",\"content\":{\"approved\":true}}");
            try (NodeAgent second = NodeAgent.start(server.port(), KEY, AGENT, state, 20)) {
                JsonNode back = second.awaitLog("registered");
                assertThat(back.path("resumed").asBoolean()).as("the server knew it was back").isTrue();
                assertThat(back.path("runs").get(0).path("state").asText()).isEqualTo("resumed");
                assertThat(second.awaitLog("run.response").path("content").path("approved").asBoolean()).isTrue();
                JsonNode done = c.awaitEvent("pipeline.completed");
                assertThat(done.path("metadata").path("status").asText()).isEqualTo("completed");
                List<JsonNode> events = runEvents(c, done.path("metadata").path("run_id").asText());
                assertThat(names(events)).containsExactlyElementsOf(PLANNED);
                assertContiguous(events);
                second.awaitLog("run.finished");
            }
        }
    }

    @Test
    void anAgentNotBackWithinTheGraceEndsItsRunWithRemoteAgentLost() throws Exception {
        Path state = dir.resolve("state.json");
        try (AgentWireServer server = new AgentWireServer(config(dir, "1s", Map.of()));
             JsonSocket c = client(server.start())) {
            String session = createSession(c);
            JsonNode confirm = killMidRun(server, c, session, state);
            JsonNode error = c.awaitEvent("agent.error");
            assertThat(error.path("metadata").path("code").asText()).isEqualTo("REMOTE_AGENT_LOST");
            assertThat(error.path("metadata").path("agent").asText()).isEqualTo(AGENT);
            assertThat(error.path("content").path("message").asText()).contains(AGENT, "did not come back");
            JsonNode done = c.awaitEvent("pipeline.completed");
            assertThat(done.path("metadata").path("status").asText()).isEqualTo("failed");
            String runId = done.path("metadata").path("run_id").asText();
            List<JsonNode> events = runEvents(c, runId);
            assertContiguous(events);
            assertThat(names(events)).containsExactly("plan.start", "agent.thinking", "plan.completed",
                    "agent.user_confirm", "agent.error", "pipeline.completed");
            c.send("{\"event\":\"user.response\",\"session_id\":\"" + session + "\",\"step_id\":\""
                    + confirm.path("step_id").asText() + "\",\"content\":{\"approved\":true}}");
            assertThat(c.awaitEvent("error.validation").path("metadata").path("code").asText()).isEqualTo("UNKNOWN_STEP");

            message(c, session, "No agent now", "");
            JsonNode refused = c.await(n -> "AGENT_NOT_FOUND".equals(n.path("metadata").path("code").asText()), "the refusal");
            assertThat(refused.path("metadata").path("code").asText()).isEqualTo("AGENT_NOT_FOUND");

            try (NodeAgent late = NodeAgent.start(server.port(), KEY, AGENT, state, 20)) {
                JsonNode dropped = late.awaitLog("run.dropped");
                assertThat(dropped.path("run_id").asText()).isEqualTo(runId);
                assertThat(dropped.path("status").asText()).isEqualTo("failed");
            }
            assertThat(runEvents(c, runId)).hasSameSizeAs(events);
        }
    }
}
