package io.agentwire.dialect.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dashboards watching envelope runs of the scripted demo agent, end to end over real sockets. */
@Tag("integration")
class TrackingRunTest {
    @TempDir Path dir;
    TrackingHarness server;

    @BeforeEach
    void start() {
        server = new TrackingHarness(dir, TrackingConfig.DEFAULT);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aDashboardJoiningMidRunSeesTheSessionThenStatusesToCompletedAndLogsOnlyWhileStreaming() throws Exception {
        try (WsClient user = server.user("alice")) {
            String sid = TrackingHarness.createSession(user);
            TrackingHarness.message(user, sid, "Compare three vector databases", true);
            JsonNode confirm = user.awaitEvent("agent.user_confirm"); // the run waits here: it is in progress
            String runId = confirm.path("metadata").path("run_id").asText();

            try (WsClient dash = server.dashboard()) {
                JsonNode first = dash.next();
                assertThat(first.path("type").asText()).isEqualTo("active_sessions");
                assertThat(first.path("timestamp").isNumber()).isTrue();
                assertThat(first.path("data").path("total_sessions").asInt()).isEqualTo(1);
                JsonNode session = first.path("data").path("sessions").get(0);
                assertThat(session.path("session_id").asText()).isEqualTo(sid);
                assertThat(session.path("query").asText()).isEqualTo("Compare three vector databases");
                assertThat(session.path("status").asText()).isEqualTo("processing");
                assertThat(session.path("agents_active").asInt()).isEqualTo(1);

                dash.send(WsClient.type("start_log_streaming", sid));
                dash.send(WsClient.type("get_session_state", sid)); // answered after the streaming request
                JsonNode state = dash.awaitType("session_state");
                assertThat(state.path("session_id").asText()).isEqualTo(sid);
                assertThat(state.path("state").path("current_phase").asText()).isEqualTo("analyzing");
                JsonNode agent = state.path("state").path("active_agents").get(0);
                assertThat(agent.path("agent_id").asText()).isEqualTo(runId);
                assertThat(agent.path("agent_name").asText()).isEqualTo("demo");
                assertThat(agent.path("status").asText()).isEqualTo("ANALYZING");
                assertThat(agent.path("progress").asInt()).isEqualTo(15);
                assertThat(agent.path("current_task").asText()).startsWith("Waiting for the user: ");

                TrackingHarness.approve(user, sid, confirm);
                List<JsonNode> seen = dash.collectUntil(n -> n.path("type").asText().equals("active_sessions")
                        && n.path("data").path("sessions").get(0).path("status").asText().equals("completed"), "completed session");

                List<JsonNode> statuses = ofType(seen, "agent_status");
                assertThat(statuses).allSatisfy(s -> {
                    assertThat(s.path("agent_id").asText()).isEqualTo(runId);
                    assertThat(s.path("agent_name").asText()).isEqualTo("demo");
                    assertThat(s.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                    assertThat(s.path("metadata").path("session_id").asText()).isEqualTo(sid);
                    assertThat(s.path("message").isTextual()).isTrue();
                });
                List<String> names = statuses.stream().map(s -> s.path("status").asText()).toList();
                assertThat(names).containsSubsequence("PROCESSING", "COLLABORATING", "COMPLETED").endsWith("COMPLETED");
                List<Integer> progress = statuses.stream().map(s -> s.path("progress").asInt()).toList();
                assertThat(progress).isSorted().last().isEqualTo(100);
                assertThat(statuses.getLast().path("metadata").path("run_status").asText()).isEqualTo("completed");

                List<String> live = liveLines(seen);
                assertThat(live).anyMatch(m -> m.startsWith("Task task_1 started"))
                        .anyMatch(m -> m.startsWith("Calling tool demo_search"))
                        .anyMatch(m -> m.startsWith("Final answer: "))
                        .anyMatch(m -> m.startsWith("Run completed"));
                assertThat(live).noneMatch(m -> m.startsWith("Planning: ")); // before streaming began

                dash.send(WsClient.type("stop_log_streaming"));
                dash.send(WsClient.type("get_session_logs", sid)); // answered after the stop
                JsonNode logs = dash.awaitType("session_logs");
                assertThat(logs.has("live")).isFalse();
                List<String> stored = new ArrayList<>();
                logs.path("logs").forEach(l -> stored.add(l.path("message").asText()));
                assertThat(stored.getFirst()).isEqualTo("Planning: Compare three vector databases");
                assertThat(stored.getLast()).startsWith("Run completed");
                assertThat(logs.path("logs").get(0).path("level").asText()).isEqualTo("info");
                assertThat(logs.path("logs").get(0).path("agent").asText()).isEqualTo("demo");

                TrackingHarness.message(user, sid, "And now a second question", false);
                List<JsonNode> after = dash.collectUntil(n -> n.path("type").asText().equals("active_sessions")
                        && n.path("data").path("sessions").get(0).path("query").asText().equals("And now a second question")
                        && n.path("data").path("sessions").get(0).path("status").asText().equals("completed"), "second run done");
                assertThat(ofType(after, "agent_status")).last()
                        .satisfies(s -> assertThat(s.path("status").asText()).isEqualTo("COMPLETED"))
                        .satisfies(s -> assertThat(s.path("agent_id").asText()).isNotEqualTo(runId));
                assertThat(ofType(after, "session_logs")).isEmpty();
            }
        }
    }

    @Test
    void sessionStateAndLogsOfAKnownAndAnUnknownSession() throws Exception {
        try (WsClient user = server.user("bob"); WsClient dash = server.dashboard()) {
            assertThat(dash.awaitType("active_sessions").path("data").path("total_sessions").asInt()).isZero();
            String sid = TrackingHarness.createSession(user);
            TrackingHarness.message(user, sid, "Summarise the news", false);
            dash.await(n -> n.path("type").asText().equals("agent_status") && n.path("status").asText().equals("COMPLETED"), "COMPLETED");

            dash.send(WsClient.type("get_session_state", sid));
            JsonNode state = dash.awaitType("session_state").path("state");
            assertThat(state.path("session_id").asText()).isEqualTo(sid);
            assertThat(state.path("query").asText()).isEqualTo("Summarise the news");
            assertThat(state.path("current_phase").asText()).isEqualTo("completed");
            assertThat(state.path("overall_progress").asInt()).isEqualTo(100);
            assertThat(state.path("active_agents")).hasSize(1);
            assertThat(state.path("active_agents").get(0).path("status").asText()).isEqualTo("COMPLETED");
            List<String> outputs = new ArrayList<>();
            state.path("crew_output").forEach(o -> outputs.add(o.path("type").asText()));
            assertThat(outputs).containsExactly("task_result", "task_result", "task_result", "final_answer");

            dash.send(WsClient.type("get_session_logs", sid));
            JsonNode logs = dash.awaitType("session_logs");
            assertThat(logs.path("session_id").asText()).isEqualTo(sid);
            assertThat(logs.path("timestamp").isNumber()).isTrue();
            assertThat(logs.path("logs").size()).isGreaterThan(10);
            JsonNode line = logs.path("logs").get(1);
            assertThat(line.fieldNames()).toIterable().containsExactly("timestamp", "level", "agent", "message", "details");
            assertThat(line.path("details").path("event").asText()).isEqualTo("agent.thinking");

            for (String type : List.of("get_session_state", "get_session_logs")) {
                dash.send(WsClient.type(type, "sess_unknown"));
                JsonNode err = dash.awaitType("error");
                assertThat(err.path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
                assertThat(err.path("request_type").asText()).isEqualTo(type);
                assertThat(err.path("session_id").asText()).isEqualTo("sess_unknown");
                assertThat(err.path("message").asText()).contains("sess_unknown");
            }
            assertThat(dash.closed).isNotDone();
        }
    }

    @Test
    void everyDashboardSeesTheSameUpdates() throws Exception {
        try (WsClient user = server.user("carol"); WsClient a = server.dashboard(); WsClient b = server.dashboard();
             WsClient c = WsClient.connect(server.dashboardUri("client_1_z"))) {
            for (WsClient d : List.of(a, b, c)) d.awaitType("active_sessions");
            String sid = TrackingHarness.createSession(user);
            TrackingHarness.message(user, sid, "Plan a trip", false);
            List<List<String>> seen = new ArrayList<>();
            for (WsClient d : List.of(a, b, c)) {
                List<JsonNode> got = d.collectUntil(n -> n.path("status").asText().equals("COMPLETED"), "COMPLETED");
                seen.add(ofType(got, "agent_status").stream().map(JsonNode::toString).toList());
            }
            assertThat(seen.get(0)).isNotEmpty().isEqualTo(seen.get(1)).isEqualTo(seen.get(2));
        }
    }

    @Test
    void aCancelledRunEndsIdleAndAFreshSessionAppearsInActiveSessions() throws Exception {
        try (WsClient user = server.user("dave"); WsClient dash = server.dashboard()) {
            dash.awaitType("active_sessions");
            String sid = TrackingHarness.createSession(user);
            TrackingHarness.message(user, sid, "Write a report", true);
            JsonNode listed = dash.await(n -> n.path("type").asText().equals("active_sessions")
                    && n.path("data").path("total_sessions").asInt() == 1, "the new session");
            assertThat(listed.path("data").path("sessions").get(0).path("session_id").asText()).isEqualTo(sid);
            user.awaitEvent("agent.user_confirm");
            user.send(WsClient.event("user.cancel").put("session_id", sid));
            JsonNode end = dash.await(n -> n.path("type").asText().equals("agent_status")
                    && n.path("metadata").path("event").asText().equals("pipeline.completed"), "end of the run");
            assertThat(end.path("status").asText()).isEqualTo("IDLE");
            assertThat(end.path("metadata").path("run_status").asText()).isEqualTo("cancelled");
            JsonNode idle = dash.await(n -> n.path("type").asText().equals("active_sessions")
                    && n.path("data").path("sessions").get(0).path("agents_active").asInt() == 0, "idle session");
            assertThat(idle.path("data").path("sessions").get(0).path("status").asText()).isEqualTo("idle");
        }
    }

    private static List<JsonNode> ofType(List<JsonNode> messages, String type) {
        return messages.stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }

    private static List<String> liveLines(List<JsonNode> messages) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : ofType(messages, "session_logs")) {
            assertThat(n.path("live").asBoolean()).isTrue();
            n.path("logs").forEach(l -> out.add(l.path("message").asText()));
        }
        return out;
    }
}
