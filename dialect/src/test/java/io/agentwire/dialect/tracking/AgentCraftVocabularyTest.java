package io.agentwire.dialect.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.transport.testing.SkippingClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AgentCraft vocabulary on AgentCraft's real path, over real sockets: a demo run seen as AgentCraft's components
 * read it, the requests and their acknowledgements, and the tracking state coming back after a restart.
 */
@Tag("integration")
class AgentCraftVocabularyTest {
    static final String CHAT_ID = "agent_chat_1764680000000_k3j9x2ab1";

    @TempDir Path dir;

    private static List<JsonNode> ofType(List<JsonNode> all, String type) {
        return all.stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }

    @Test
    void aDemoRunIsSeenInAgentCraftsMessagesAndShapes() throws Exception {
        try (TrackingHarness server = new TrackingHarness(dir, TrackingConfig.DEFAULT);
             WsClient dash = WsClient.silent(server.agentCraftUri(CHAT_ID));
             WsClient documented = server.dashboard();
             WsClient user = server.user("alice")) {
            JsonNode hello = dash.awaitType("active_sessions");
            assertThat(hello.path("data").path("total_sessions").asInt()).isZero();
            documented.awaitType("active_sessions");

            String sid = TrackingHarness.createSession(user);
            TrackingHarness.message(user, sid, "Compare three vector databases", false);
            List<JsonNode> seen = dash.collectUntil(n -> n.path("type").asText().equals("session_complete"), "session_complete");

            JsonNode started = ofType(seen, "session_started").getFirst();
            assertThat(started.path("session_id").asText()).isEqualTo(sid);
            assertThat(started.path("timestamp").isNumber()).isTrue();
            assertThat(started.path("data").path("agent_names").toString()).isEqualTo("[\"demo\"]");
            assertThat(started.path("state").path("active_agents").get(0).path("agent_name").asText()).isEqualTo("demo");

            List<JsonNode> updates = ofType(seen, "agent_status_update");
            assertThat(updates).allSatisfy(u -> {
                JsonNode d = u.path("data");
                assertThat(d.path("session_id").asText()).isEqualTo(sid);
                assertThat(d.path("agent_name").asText()).isEqualTo("demo");
                assertThat(d.path("current_task").isTextual()).isTrue();
                assertThat(d.path("details").isTextual()).isTrue();
                JsonNode agent = u.path("state").path("active_agents").get(0);
                assertThat(agent.path("updated_at").isNumber()).isTrue();
                assertThat(agent.path("status").asText()).isEqualTo(agent.path("status").asText().toLowerCase());
            });
            List<String> statuses = updates.stream().map(u -> u.path("data").path("status").asText()).toList();
            assertThat(statuses).containsSubsequence("ANALYZING", "PROCESSING", "COLLABORATING", "COMPLETING", "FINISHED")
                    .endsWith("FINISHED");
            assertThat(updates.stream().map(u -> u.path("data").path("progress").asInt()).toList()).isSorted().last()
                    .isEqualTo(100);
            JsonNode last = updates.getLast().path("state");
            assertThat(last.path("active_agents").get(0).path("status").asText()).isEqualTo("finished");
            assertThat(last.path("completed_agents").toString()).isEqualTo("[\"demo\"]");
            assertThat(last.path("overall_progress").asInt()).isEqualTo(100);

            assertThat(ofType(seen, "phase_update").stream().map(p -> p.path("data").path("phase").asText()).toList())
                    .containsSubsequence("processing", "collaborating", "completing", "completed");
            assertThat(ofType(seen, "crew_output")).anySatisfy(o -> {
                assertThat(o.path("data").path("output_type").asText()).isEqualTo("task_result");
                assertThat(o.path("data").path("content").asText()).isNotBlank();
                assertThat(o.path("data").path("agent_name").asText()).isEqualTo("demo");
            }).anySatisfy(o -> assertThat(o.path("data").path("output_type").asText()).isEqualTo("final_answer"));
            List<JsonNode> logs = ofType(seen, "crewai_log");
            assertThat(logs).isNotEmpty().allSatisfy(l -> {
                assertThat(l.path("log").path("level").asText()).isIn("INFO", "WARNING", "ERROR", "DEBUG");
                assertThat(l.path("log").path("timestamp").isNumber()).isTrue();
                assertThat(l.path("log").path("agent_info").path("agent_name").asText()).isEqualTo("demo");
                assertThat(l.path("log").path("session_id").asText()).isEqualTo(sid);
            });
            assertThat(logs.stream().map(l -> l.path("log").path("event_type").asText()).toList())
                    .contains("task_start", "task_complete", "tool_use");
            assertThat(ofType(seen, "session_completed")).hasSize(1);
            assertThat(seen.getLast().path("data").path("session_id").asText()).isEqualTo(sid);
            assertThat(seen).noneMatch(n -> n.path("type").asText().equals("agent_status"));
            // the documented vocabulary, on its own path, saw the same run in its own messages
            documented.awaitType("agent_status");
            assertThat(documented.all).noneMatch(n -> n.path("type").asText().equals("agent_status_update"));

            dash.send(WsClient.type("get_session_state", sid));
            JsonNode state = dash.awaitType("session_state").path("state");
            assertThat(state.path("query").asText()).isEqualTo("Compare three vector databases");
            assertThat(state.path("current_phase").asText()).isEqualTo("completed");
            assertThat(state.path("crew_output").size()).isBetween(1, 10);
            dash.send(WsClient.type("get_session_state", "sess_unknown"));
            JsonNode notFound = dash.awaitType("session_not_found");
            assertThat(notFound.path("session_id").asText()).isEqualTo("sess_unknown");
            dash.send(WsClient.type("get_session_logs", sid));
            JsonNode kept = dash.awaitType("session_logs");
            assertThat(kept.path("logs").size()).isBetween(1, 50);
            assertThat(kept.path("logs").get(0).path("timestamp").isNumber()).isTrue();

            dash.send(WsClient.type("stop_log_streaming"));
            assertThat(dash.awaitType("log_streaming_stopped").path("message").asText()).isNotBlank();
            dash.send(WsClient.type("start_log_streaming", "chat_1764680000001")); // any label, as AgentCraft's
            assertThat(dash.awaitType("log_streaming_started").path("session_id").asText()).isEqualTo("chat_1764680000001");
            dash.send(WsClient.type("start_log_streaming"));
            assertThat(dash.awaitType("log_streaming_started").path("session_id").isNull()).isTrue();
            assertThat(dash.closed).isNotDone();
        }
    }

    @Test
    void stoppedLogStreamingSendsNoMoreCrewaiLogs() throws Exception {
        try (TrackingHarness server = new TrackingHarness(dir, TrackingConfig.DEFAULT);
             WsClient dash = WsClient.silent(server.agentCraftUri(CHAT_ID))) {
            dash.awaitType("active_sessions");
            dash.send(WsClient.type("stop_log_streaming"));
            dash.awaitType("log_streaming_stopped");
            var lines = List.of(new LogReport.Line("warning", "Security Specialist", "Checking signatures", null));
            assertThat(server.tracking.report(new LogReport("session_abc", lines)).get()).isZero();
            server.tracking.report(new AgentStatusReport("agent-7", "Security Specialist", AgentStatus.PROCESSING, 65,
                    "Checking signatures", "session_abc", "Webhook errors", null)).get();
            JsonNode update = dash.awaitType("agent_status_update");
            assertThat(update.path("data").path("status").asText()).isEqualTo("PROCESSING");
            assertThat(dash.all).noneMatch(n -> n.path("type").asText().equals("crewai_log"));
            dash.send(WsClient.type("start_log_streaming", "session_abc"));
            dash.awaitType("log_streaming_started");
            assertThat(server.tracking.report(new LogReport("session_abc", lines)).get()).isEqualTo(1);
            JsonNode log = dash.awaitType("crewai_log").path("log");
            assertThat(log.path("level").asText()).isEqualTo("WARNING");
            assertThat(log.path("raw_message").asText()).isEqualTo("Checking signatures");
        }
    }

    @Test
    void sessionsStatusesAndLogsComeBackAfterARestartOnTheSameData() throws Exception {
        String sid;
        try (TrackingHarness server = new TrackingHarness(dir, TrackingConfig.DEFAULT);
             WsClient dash = WsClient.silent(server.agentCraftUri(CHAT_ID));
             WsClient user = server.user("alice")) {
            dash.awaitType("active_sessions");
            sid = TrackingHarness.createSession(user);
            TrackingHarness.message(user, sid, "Compare three vector databases", false);
            dash.awaitType("session_complete");
            var meta = JsonNodeFactory.instance.objectNode().put("step", 2);
            server.tracking.report(new AgentStatusReport("agent-7", "Security Specialist", AgentStatus.PROCESSING, 65,
                    "Checking signatures", "session_abc", "How do I fix webhook errors?", meta)).get();
            server.tracking.report(new LogReport("session_abc", List.of(
                    new LogReport.Line("info", "Security Specialist", "Starting webhook analysis", null)))).get();
        }
        try (TrackingHarness server = new TrackingHarness(dir, TrackingConfig.DEFAULT);
             WsClient dash = WsClient.silent(server.agentCraftUri(CHAT_ID));
             WsClient documented = server.dashboard()) {
            JsonNode sessions = dash.awaitType("active_sessions").path("data");
            assertThat(sessions.path("total_sessions").asInt()).isEqualTo(2);
            assertThat(sessions.path("sessions").findValuesAsText("session_id")).containsExactly(sid, "session_abc");
            assertThat(sessions.path("sessions").get(0).path("phase").asText()).isEqualTo("completed");
            assertThat(sessions.path("sessions").get(1).path("phase").asText()).isEqualTo("processing");

            dash.send(WsClient.type("get_session_state", sid));
            JsonNode agent = dash.awaitType("session_state").path("state").path("active_agents").get(0);
            assertThat(agent.path("status").asText()).isEqualTo("finished");
            assertThat(agent.path("progress").asInt()).isEqualTo(100);
            dash.send(WsClient.type("get_session_state", "session_abc"));
            JsonNode api = dash.awaitType("session_state").path("state");
            assertThat(api.path("query").asText()).isEqualTo("How do I fix webhook errors?");
            assertThat(api.path("active_agents").get(0).path("progress").asInt()).isEqualTo(65);
            assertThat(api.path("active_agents").get(0).path("metadata").path("step").asInt()).isEqualTo(2);
            dash.send(WsClient.type("get_session_logs", "session_abc"));
            assertThat(dash.awaitType("session_logs").path("logs").findValuesAsText("message"))
                    .containsExactly("Starting webhook analysis");

            // the documented vocabulary sees the same state; each event was applied once
            JsonNode spec = documented.awaitType("active_sessions").path("data");
            assertThat(spec.path("sessions").findValuesAsText("status")).containsExactly("completed", "processing");
            documented.send(WsClient.type("get_session_logs", sid));
            List<String> lines = documented.awaitType("session_logs").path("logs").findValuesAsText("message");
            assertThat(lines).filteredOn(m -> m.startsWith("Planning: ")).hasSize(1);
            assertThat(lines.getLast()).startsWith("Run completed");
        }
    }

    @Test
    void aSessionFinishedLongerAgoThanTheRetentionDoesNotComeBack() throws Exception {
        TrackingConfig brief = TrackingConfig.DEFAULT.withRetention(java.time.Duration.ofMillis(500), 1000, 500);
        SkippingClock clock = new SkippingClock();
        try (TrackingHarness server = new TrackingHarness(dir, brief, clock)) {
            server.tracking.report(new AgentStatusReport("agent-1", "Old", AgentStatus.COMPLETED, 100, "done",
                    "session_old", "an old query", null)).get();
            server.tracking.report(new AgentStatusReport("agent-2", "Busy", AgentStatus.PROCESSING, 10, "working",
                    "session_busy", "a running query", null)).get();
        }
        clock.skip(java.time.Duration.ofMillis(700)); // past the retention: the finished session is gone, the active one stays (stale after 1 h)
        try (TrackingHarness server = new TrackingHarness(dir, brief, clock);
             WsClient dash = WsClient.silent(server.agentCraftUri(CHAT_ID))) {
            JsonNode sessions = dash.awaitType("active_sessions").path("data");
            assertThat(sessions.path("sessions").findValuesAsText("session_id")).containsExactly("session_busy");
        }
    }
}
