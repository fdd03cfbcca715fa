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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AgentCraft's real front end, as its components are written, against the whole server: a React component
 * (react-test-renderer; {@code ws} as the browser's WebSocket) on {@code /api/ws/agent-tracking/agent_chat_…} that
 * never answers the server's ping message — only its WebSocket library answers ping frames, as a browser does.
 * The liveness timeouts are configurable; to keep the build bounded the test runs them short (ping every 2 s, closed
 * after 5 s of silence) for 20 s — ten intervals, four timeouts — instead of AgentCraft's real two minutes.
 */
@Tag("integration")
class AgentCraftDashboardTest {
    static final String KEY = "tracking-test-api-key-0123456789";

    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AgentWireServer server(Map<String, Object> more) {
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.agents.demo.confirm-plan", false);
        flags.put("agentwire.tracking.ping-interval", "2s");
        flags.put("agentwire.tracking.pong-timeout", "5s");
        flags.putAll(more);
        return new AgentWireServer(AgentWireConfig.load(null,
                new HashMap<>(Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET, "AGENTWIRE_API_KEY", KEY)), flags));
    }

    /** Runs the scripted demo agent once in a new envelope session; returns the session id. */
    private static String demoRun(int port, String question) throws Exception {
        try (JsonSocket user = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.hs256("alice")))) {
            user.awaitEvent("system.connected");
            user.send("{\"event\":\"user.create_session\"}");
            String sid = user.awaitEvent("agent.session_created").path("content").path("session_id").asText();
            user.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"" + question + "\"}}");
            user.await(n -> n.path("event").asText().equals("pipeline.completed"), "pipeline.completed");
            return sid;
        }
    }

    private void report(int port, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/tracking/agent-status")).header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static Map<String, Object> params(int trackingPort, String until) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("url", "ws://127.0.0.1:" + trackingPort);
        p.put("until", until);
        p.put("agent", "demo");
        return p;
    }

    @Test
    void aReactDashboardWrittenLikeAgentCraftsShowsADemoRunAndStaysConnected20sOnPing2sTimeout5sWithoutAnsweringPings()
            throws Exception {
        try (AgentWireServer server = server(Map.of("agentwire.agents.demo.step-delay", "150ms"))) {
            int port = server.start();
            Map<String, Object> p = params(server.port("tracking"), "finished");
            p.put("minMs", 20_000);
            p.put("timeoutMs", 60_000);
            try (DashboardHarness dashboard = new DashboardHarness(p, Duration.ofSeconds(75))) {
                assertThat(dashboard.awaitConnected(1).path("clientId").asText()).matches("agent_chat_\\d+_[a-z0-9]+");
                String sid = demoRun(port, "Compare three vector databases");
                JsonNode result = dashboard.result();
                assertThat(result.path("timedOut").asBoolean()).as(result.toString()).isFalse();
                assertThat(result.path("elapsedMs").asLong()).isGreaterThanOrEqualTo(20_000);
                JsonNode s = result.path("state");

                JsonNode counters = s.path("counters");
                assertThat(counters.path("opens").asInt()).as("one connection, never re-opened").isEqualTo(1);
                assertThat(counters.path("closes").asInt()).as("never closed by the server").isZero();
                assertThat(counters.path("pongsSent").asInt()).as("the component never answers a ping message").isZero();
                assertThat(counters.path("pings").asInt()).as("ping messages seen over 20 s at 2 s").isGreaterThanOrEqualTo(5);
                assertThat(s.path("connectionStatus").asText()).isEqualTo("connected");

                JsonNode live = s.path("liveAgentStates").path("demo"); // message.data.{…}, as MultiAgentDemo reads it
                assertThat(live.path("status").asText()).isEqualTo("FINISHED");
                assertThat(live.path("progress").asInt()).isEqualTo(100);
                assertThat(live.path("updated_at").isNumber()).isTrue();
                JsonNode agent = s.path("realTimeAgentStates").path("demo"); // message.state.active_agents, as AgentChat
                assertThat(agent.path("status").asText()).isEqualTo("finished");
                assertThat(agent.path("progress").asInt()).isEqualTo(100);
                assertThat(agent.path("session").asText()).isEqualTo(sid);
                assertThat(agent.path("updatedAt").isNumber()).isTrue();
                assertThat(result.path("renderedAgents").toString()).contains("demo: finished 100%");

                List<String> phases = new ArrayList<>();
                s.path("phases").forEach(n -> phases.add(n.asText()));
                assertThat(phases).containsSubsequence("processing", "collaborating", "completing", "completed");
                List<String> logs = new ArrayList<>();
                s.path("debugLogs").forEach(n -> logs.add(n.path("message").asText()));
                assertThat(logs).anyMatch(m -> m.startsWith("[demo] Planning: Compare three vector databases"))
                        .anyMatch(m -> m.startsWith("[demo] Calling tool"))
                        .anyMatch(m -> m.startsWith("[demo] Run completed"));
                List<String> outputs = new ArrayList<>();
                s.path("outputs").forEach(n -> outputs.add(n.path("type").asText()));
                assertThat(outputs).contains("task_result", "final_answer");
                assertThat(s.path("completed").toString()).contains(sid);
                assertThat(s.path("sessions").path(sid).path("query").asText()).isEqualTo("Compare three vector databases");
            }
        }
    }

    @Test
    void afterARestartOnTheSameDataTheReconnectedDashboardSeesTheSessionsAndStatusesFromBefore() throws Exception {
        String sid;
        int trackingPort;
        Map<String, Object> p;
        DashboardHarness dashboard = null;
        try {
            try (AgentWireServer before = server(Map.of("agentwire.agents.demo.step-delay", "5ms"))) {
                int port = before.start();
                trackingPort = before.port("tracking");
                p = params(trackingPort, "restored");
                p.put("sessions", 2);
                p.put("timeoutMs", 50_000);
                dashboard = new DashboardHarness(p, Duration.ofSeconds(60));
                dashboard.awaitConnected(1);
                sid = demoRun(port, "Compare three vector databases");
                report(port, """
                        {"agent_id":"agent-7","agent_name":"Security Specialist","status":"PROCESSING","progress":65,
                         "message":"Checking signatures","session_id":"session_abc","query":"How do I fix webhook errors?"}""");
            }
            // the same data directory and tracking port: the component reconnects by itself (every 3 s)
            try (AgentWireServer after = server(Map.of("agentwire.tracking.port", trackingPort))) {
                after.start();
                dashboard.awaitConnected(2);
                JsonNode result = finishRestored(dashboard);
                JsonNode answers = result.path("state").path("stateAnswers");
                JsonNode run = answer(answers, sid);
                assertThat(run.path("phase").asText()).isEqualTo("completed");
                assertThat(run.path("agents").get(0).path("name").asText()).isEqualTo("demo");
                assertThat(run.path("agents").get(0).path("status").asText()).isEqualTo("finished");
                assertThat(run.path("agents").get(0).path("progress").asInt()).isEqualTo(100);
                JsonNode api = answer(answers, "session_abc");
                assertThat(api.path("phase").asText()).isEqualTo("processing");
                assertThat(api.path("agents").get(0).path("name").asText()).isEqualTo("Security Specialist");
                assertThat(api.path("agents").get(0).path("progress").asInt()).isEqualTo(65);
                assertThat(result.path("state").path("sessions").path("session_abc").path("query").asText())
                        .isEqualTo("How do I fix webhook errors?");
            }
        } finally {
            if (dashboard != null) dashboard.close();
        }
    }

    /** The harness's result once, on its second connection, both sessions were answered. */
    private static JsonNode finishRestored(DashboardHarness dashboard) throws InterruptedException {
        JsonNode result = dashboard.result();
        assertThat(result.path("timedOut").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.path("state").path("counters").path("opens").asInt()).isGreaterThanOrEqualTo(2);
        return result;
    }

    /** The session_state answer for {@code sid} received on the second connection or later. */
    private static JsonNode answer(JsonNode answers, String sid) {
        for (JsonNode a : answers) {
            if (a.path("opens").asInt() >= 2 && a.path("session_id").asText().equals(sid)) return a;
        }
        throw new AssertionError("no session_state for " + sid + " after the restart: " + answers);
    }
}
