package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.DemoAgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A newcomer's first session: create it, send a message, watch the demo run, answer, cancel. */
@Tag("integration")
class EnvelopeRunTest {
    @TempDir Path dir;
    Harness server;

    @BeforeEach
    void start() {
        server = new Harness(dir, Harness.Settings.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connectedCarriesTheDocumentedMetadata() throws Exception {
        try (Client c = Client.connect(server.uri("alice"))) {
            JsonNode hello = c.await("system.connected");
            JsonNode m = hello.get("metadata");
            assertThat(m.get("connection_id").asText()).startsWith("conn_").isEqualTo(hello.get("connection_id").asText());
            assertThat(m.get("protocol_version").asText()).isEqualTo("1");
            assertThat(m.get("heartbeat_interval_ms").asLong()).isEqualTo(30_000);
            assertThat(m.get("heartbeat_timeout_ms").asLong()).isEqualTo(60_000);
            assertThat(m.get("max_payload_bytes").asLong()).isEqualTo(1 << 20);
            assertThat(hello.has("seq")).isFalse();
        }
    }

    @Test
    void aFullApprovedRunHasContiguousSeqsAndTheDocumentedOrder() throws Exception {
        try (Client c = Client.connect(server.uri("alice"))) {
            String sid = c.createSession();
            c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "Compare three databases")));
            JsonNode confirm = c.await("agent.user_confirm");
            c.send(Client.envelope("user.response").put("session_id", sid).put("step_id", confirm.get("step_id").asText())
                    .set("content", Client.JSON.createObjectNode().put("approved", true)));
            List<JsonNode> rest = c.collectUntil("pipeline.completed");
            List<JsonNode> events = new java.util.ArrayList<>();
            for (JsonNode n : c.all) if (n.has("seq")) events.add(n);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).get("seq").asLong()).as("seq of event %d", i).isEqualTo(i + 1L);
                assertThat(events.get(i).get("session_id").asText()).isEqualTo(sid);
                assertThat(events.get(i).get("connection_id").asText()).startsWith("conn_");
            }
            List<String> names = events.stream().map(n -> n.get("event").asText()).toList();
            assertThat(names).startsWith("agent.session_created", "plan.start");
            assertThat(names).containsSubsequence("plan.start", "plan.completed", "agent.user_confirm", "solver.start",
                    "agent.tool_call", "agent.tool_result", "solver.completed", "aggregate.start", "aggregate.completed",
                    "agent.final_answer", "pipeline.completed");
            assertThat(names.stream().filter("solver.completed"::equals).count()).isEqualTo(3);
            JsonNode done = rest.get(rest.size() - 1);
            assertThat(done.path("metadata").path("status").asText()).isEqualTo("completed");
            String runId = done.path("metadata").path("run_id").asText();
            assertThat(events.subList(1, events.size())).allSatisfy(e -> assertThat(e.path("metadata").path("run_id").asText()).isEqualTo(runId));
        }
    }

    @Test
    void rejectingThePlanChangesTheRun() throws Exception {
        try (Client c = Client.connect(server.uri("alice"))) {
            String sid = c.createSession();
            c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "Plan a trip")));
            JsonNode confirm = c.await("agent.user_confirm");
            c.send(Client.envelope("user.response").put("session_id", sid).put("step_id", confirm.get("step_id").asText())
                    .set("content", Client.JSON.createObjectNode().put("approved", false)));
            List<JsonNode> rest = c.collectUntil("pipeline.completed");
            List<String> names = rest.stream().map(n -> n.get("event").asText()).toList();
            assertThat(names).contains("plan.cancelled").doesNotContain("solver.start");
            assertThat(rest.get(rest.size() - 1).path("metadata").path("status").asText()).isEqualTo("rejected");
            // the step is answered now: a second answer is UNKNOWN_STEP
            c.send(Client.envelope("user.response").put("session_id", sid).put("step_id", confirm.get("step_id").asText())
                    .set("content", Client.JSON.createObjectNode().put("approved", true)));
            JsonNode err = c.await("error.validation");
            assertThat(err.path("metadata").path("code").asText()).isEqualTo("UNKNOWN_STEP");
            assertThat(err.has("seq")).isFalse();
        }
    }

    @Test
    void cancelMidRunYieldsTheCancelledEventsAndACancelledCompletion() throws Exception {
        // Steps of 400 ms, so that the run is still solving when the cancel arrives, however busy the machine.
        server.close();
        server = new Harness(dir.resolve("slow"), Harness.Settings.defaults()
                .withDemo(new DemoAgentConfig(Duration.ofMillis(400), true, Duration.ofSeconds(30))));
        try (Client c = Client.connect(server.uri("alice"))) {
            String sid = c.createSession();
            c.send(Client.envelope("user.message").put("session_id", sid)
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("content", Client.JSON.createObjectNode().put("text", "Write a report"))
                    .set("metadata", Client.JSON.createObjectNode().put("confirm", false)));
            c.await("solver.start");
            c.send(Client.envelope("user.cancel").put("session_id", sid));
            List<JsonNode> rest = c.collectUntil("pipeline.completed");
            List<String> names = rest.stream().map(n -> n.get("event").asText()).toList();
            assertThat(names).contains("solver.cancelled");
            assertThat(rest.get(rest.size() - 1).path("metadata").path("status").asText()).isEqualTo("cancelled");
            // cancelling again is a no-op notice
            c.send(Client.envelope("user.cancel").put("session_id", sid));
            JsonNode notice = c.await("system.notice");
            assertThat(notice.path("content").path("code").asText()).isEqualTo("NOTHING_TO_CANCEL");
        }
    }

    @Test
    void solveTasksSkipsPlanning() throws Exception {
        try (Client c = Client.connect(server.uri("alice"))) {
            String sid = c.createSession();
            var tasks = Client.JSON.createArrayNode().add(Client.JSON.createObjectNode().put("description", "Check the logs"));
            c.send(Client.envelope("user.solve_tasks").put("session_id", sid).set("content", Client.JSON.createObjectNode().set("tasks", tasks)));
            List<JsonNode> run = c.collectUntil("pipeline.completed");
            List<String> names = run.stream().map(n -> n.get("event").asText()).toList();
            assertThat(names).doesNotContain("plan.start", "agent.user_confirm").contains("solver.start", "solver.completed");
        }
    }

    @Test
    void exportStateShowsThePendingConfirmationAndTheConversation() throws Exception {
        try (Client c = Client.connect(server.uri("alice"))) {
            String sid = c.createSession();
            c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "Summarise the news")));
            JsonNode confirm = c.await("agent.user_confirm");
            c.send(Client.envelope("user.export_state").put("session_id", sid));
            JsonNode state = c.await("agent.state_exported").path("content").path("state");
            assertThat(state.path("session_id").asText()).isEqualTo(sid);
            assertThat(state.path("last_seq").asLong()).isEqualTo(confirm.get("seq").asLong());
            assertThat(state.path("pending_confirmations").get(0).path("step_id").asText()).isEqualTo(confirm.get("step_id").asText());
            assertThat(state.path("open_runs")).hasSize(1);
            assertThat(state.path("conversation").get(0).path("text").asText()).isEqualTo("Summarise the news");
            assertThat(state.path("runs").get(0).path("phase").asText()).isEqualTo("awaiting_confirmation");
        }
    }

    @Test
    void closeSessionKeepsHistoryButRefusesNewRuns() throws Exception {
        try (Client c = Client.connect(server.uri("alice"))) {
            String sid = c.createSession();
            c.send(Client.envelope("user.close_session").put("session_id", sid));
            JsonNode closed = c.await("agent.session_closed");
            assertThat(closed.get("seq").asLong()).isEqualTo(2);
            c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "again")));
            assertThat(c.await("error.validation").path("metadata").path("code").asText()).isEqualTo("SESSION_CLOSED");
            c.send(Client.envelope("user.export_state").put("session_id", sid));
            assertThat(c.await("agent.state_exported").path("content").path("state").path("status").asText()).isEqualTo("closed");
        }
    }
}
