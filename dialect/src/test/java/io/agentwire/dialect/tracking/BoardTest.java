package io.agentwire.dialect.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import io.agentwire.core.WireMeters;
import io.agentwire.transport.testing.FakeWsConnection;
import io.agentwire.transport.testing.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The board on its own (no sockets, no thread): fan-out of shared bytes, bounds, coalescing. */
class BoardTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<Runnable> queued = new ArrayList<>();
    private final ManualExecutor loop = new ManualExecutor();
    private Board board;

    @BeforeEach
    void setUp() {
        TrackingConfig config = TrackingConfig.DEFAULT.withRetention(Duration.ofMinutes(1), 2, 3);
        board = new Board(new SessionBook(config), new RunMapper("demo"), clock::get,
                () -> queued.add(() -> board.flushActiveSessions()));
    }

    private void runQueued() {
        List<Runnable> now = new ArrayList<>(queued);
        queued.clear();
        now.forEach(Runnable::run);
    }

    private static AgentStatusReport status(String agent, AgentStatus s, String session) {
        return new AgentStatusReport(agent, "Agent " + agent, s, s == AgentStatus.COMPLETED ? 100 : 50, "m",
                session, "query of " + session, null);
    }

    @Test
    void everyDashboardIsSentTheSameEncodedBytes() {
        List<FakeWsConnection> sockets = List.of(fake(), fake(), fake());
        for (FakeWsConnection ws : sockets) board.register(new Dashboard(ws, "c", Vocabulary.SPEC_002, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE));
        assertThat(board.onStatus(status("a1", AgentStatus.PROCESSING, null))).isEqualTo(3);
        byte[] first = sockets.get(0).frames().getLast();
        assertThat(sockets).allSatisfy(ws -> assertThat(ws.frames().getLast()).isSameAs(first));
        assertThat(sockets).allSatisfy(ws -> assertThat(ws.frames().getFirst()).isSameAs(sockets.get(0).frames().getFirst()));
        assertThat(new String(first, java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"type\":\"agent_status\"");
    }

    @Test
    void activeSessionsChangesAreCoalescedIntoOneMessage() throws Exception {
        FakeWsConnection ws = fake();
        board.register(new Dashboard(ws, "c", Vocabulary.SPEC_002, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE));
        board.onStatus(status("a1", AgentStatus.PROCESSING, "s1"));
        board.onStatus(status("a2", AgentStatus.PROCESSING, "s1"));
        board.onStatus(status("a3", AgentStatus.PROCESSING, "s2"));
        assertThat(queued).hasSize(1);
        runQueued();
        List<JsonNode> active = messages(ws, "active_sessions");
        assertThat(active).hasSize(2); // on connect, then once for the three changes
        JsonNode data = active.getLast().path("data");
        assertThat(data.path("total_sessions").asInt()).isEqualTo(2);
        assertThat(data.path("sessions").get(0).path("agents_active").asInt()).isEqualTo(2);
        board.onStatus(status("a1", AgentStatus.PROCESSING, "s1")); // nothing visible changed
        assertThat(queued).isEmpty();
    }

    @Test
    void endedSessionsAreForgottenAfterTheRetentionAndTheBookIsBounded() {
        board.onStatus(status("a1", AgentStatus.PROCESSING, "s1"));
        clock.addAndGet(10);
        board.onStatus(status("a2", AgentStatus.COMPLETED, "s2"));
        clock.addAndGet(10);
        board.onStatus(status("a3", AgentStatus.COMPLETED, "s3")); // over 2: s2 (idle) goes, not the older s1 (active)
        assertThat(board.sessions()).isEqualTo(2);
        FakeWsConnection ws = fake();
        Dashboard d = new Dashboard(ws, "c", Vocabulary.SPEC_002, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE);
        board.register(d);
        board.sendState(d, "s2");
        assertThat(messages(ws, "error").getFirst().path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
        clock.addAndGet(Duration.ofMinutes(1).toMillis());
        board.sweep();
        runQueued();
        assertThat(board.sessions()).isEqualTo(1); // s3 ended a minute ago; s1 is still active
        JsonNode last = messages(ws, "active_sessions").getLast().path("data");
        assertThat(last.path("sessions").get(0).path("session_id").asText()).isEqualTo("s1");
        clock.addAndGet(SessionBook.STALE_AFTER.toMillis());
        board.sweep();
        assertThat(board.sessions()).isZero(); // an active session nobody updates for an hour is stale
    }

    @Test
    void logLinesAreBoundedAndStreamedOnlyToDashboardsThatAsked() {
        FakeWsConnection watching = fake();
        FakeWsConnection other = fake();
        Dashboard w = new Dashboard(watching, "c", Vocabulary.SPEC_002, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE);
        board.register(w);
        board.register(new Dashboard(other, "d", Vocabulary.SPEC_002, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE));
        board.startStreaming(w, "s1");
        for (int i = 0; i < 5; i++) {
            board.onLogs(new LogReport("s1", List.of(new LogReport.Line("info", "A", "line " + i, null))));
        }
        assertThat(messages(watching, "session_logs")).hasSize(5);
        assertThat(messages(other, "session_logs")).isEmpty();
        board.stopStreaming(w);
        board.onLogs(new LogReport("s1", List.of(new LogReport.Line("info", "A", "line 5", null))));
        assertThat(messages(watching, "session_logs")).hasSize(5);
        board.sendLogs(w, "s1");
        JsonNode kept = messages(watching, "session_logs").getLast().path("logs");
        assertThat(kept).hasSize(3); // log-lines = 3: the oldest were dropped
        assertThat(kept.get(2).path("message").asText()).isEqualTo("line 5");
    }

    @Test
    void agentCraftDashboardsGetTheirOwnMessagesEncodedOnceForAll() {
        FakeWsConnection spec = fake();
        List<FakeWsConnection> crafts = List.of(fake(), fake());
        board.register(new Dashboard(spec, "c", Vocabulary.SPEC_002, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE));
        for (FakeWsConnection ws : crafts) {
            board.register(new Dashboard(ws, "c", Vocabulary.AGENTCRAFT, TrackingConfig.DEFAULT, null, clock::get, WireMeters.NONE));
        }
        assertThat(messages(crafts.get(0), "active_sessions")).hasSize(1);
        assertThat(board.onStatus(status("a1", AgentStatus.PROCESSING, "s1"))).isEqualTo(3); // 1 + 2 dashboards
        assertThat(types(crafts.get(0))).containsExactly("active_sessions", "session_started", "agent_status_update");
        assertThat(crafts.get(1).frames().getLast()).isSameAs(crafts.get(0).frames().getLast());
        assertThat(messages(spec, "agent_status")).hasSize(1);
        assertThat(messages(spec, "agent_status_update")).isEmpty();

        board.onStatus(status("a1", AgentStatus.ERROR, "s1"));
        board.onStatus(status("a1", AgentStatus.ERROR, "s1"));
        assertThat(messages(crafts.get(0), "session_error")).hasSize(1); // on the change to ERROR only
        JsonNode error = messages(crafts.get(0), "agent_status_update").getLast();
        assertThat(error.path("data").path("status").asText()).isEqualTo("ERROR");
        assertThat(error.path("state").path("active_agents").get(0).path("status").asText()).isEqualTo("error");
        assertThat(messages(crafts.get(0), "phase_update").getLast().path("data").path("phase").asText()).isEqualTo("error");

        board.onStatus(status("a2", AgentStatus.ANALYZING, "s1"));  // a new round
        board.onStatus(status("a2", AgentStatus.COMPLETED, "s1"));
        assertThat(messages(crafts.get(0), "session_started")).hasSize(2);
        assertThat(messages(crafts.get(0), "session_completed")).hasSize(1);
        assertThat(messages(crafts.get(0), "session_complete")).hasSize(1);
        JsonNode done = messages(crafts.get(0), "session_complete").getFirst();
        assertThat(done.path("data").path("session_id").asText()).isEqualTo("s1");
        assertThat(done.path("state").path("completed_agents").toString()).isEqualTo("[\"Agent a2\"]");
        assertThat(done.path("state").path("active_agents").get(0).path("status").asText()).isEqualTo("finished");

        board.onStatus(status("a9", AgentStatus.PROCESSING, null)); // no session: data only
        JsonNode loose = messages(crafts.get(0), "agent_status_update").getLast();
        assertThat(loose.path("session_id").isNull()).isTrue();
        assertThat(loose.has("state")).isFalse();
        assertThat(loose.path("data").path("agent_name").asText()).isEqualTo("Agent a9");
    }

    private static List<String> types(FakeWsConnection ws) {
        List<String> out = new ArrayList<>();
        for (byte[] b : ws.frames()) {
            try {
                out.add(WsClient.JSON.readTree(b).path("type").asText());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private FakeWsConnection fake() {
        return new FakeWsConnection(loop, Principal.ANONYMOUS,
                new Authenticator.Request("/ws/agent-tracking/c", Map.of(), Map.of(), "test"));
    }

    private static List<JsonNode> messages(FakeWsConnection ws, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] b : ws.frames()) {
            try {
                JsonNode n = WsClient.JSON.readTree(b);
                if (n.path("type").asText().equals(type)) out.add(n);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
