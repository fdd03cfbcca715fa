package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.AgentGateway;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.MemoryEventLog;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.core.Session;
import io.agentwire.core.SessionStore;
import io.agentwire.core.Sessions;
import io.agentwire.core.WireMeters;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import io.agentwire.transport.testing.FakeWsConnection;
import io.agentwire.transport.testing.ManualExecutor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The envelope dialect's commands on their own: fake connections on a manual event loop, the core over the memory
 * broker and an in-memory session store, and a recording agent gateway — no socket, no server. Time is the
 * manual executor's: a session expires because the test moves its clock, not because it waits.
 */
class CommandsTest {
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(10); // bound for store futures on other threads

    private final ManualExecutor loop = new ManualExecutor();
    private final Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), new MemoryEventLog(),
            new NodeConfig(HistoryConfig.DEFAULT, 10_000, List.of("session:")));
    private final Sessions sessions = new Sessions(new MemorySessions(), TTL, Duration.ofMillis(50), loop.clock());
    private final Gateway agents = new Gateway();
    private final Attachments attachments = new Attachments();
    private final Commands commands = new Commands(node, sessions, agents,
            new Resumer(node, attachments, TTL, 1_000, 2));

    @AfterEach
    void tearDown() {
        sessions.close();
        node.broker().close();
    }

    private final class Client {
        final FakeWsConnection ws;
        final EnvelopeConnection c;

        Client(String user) {
            ws = new FakeWsConnection(loop, Principal.user(user), new Authenticator.Request("/ws", Map.of(), Map.of(), "127.0.0.1"));
            c = new EnvelopeConnection(ws, EnvelopeConfig.DEFAULT, commands, attachments, WireMeters.NONE);
        }

        void send(String json) {
            c.onText(json);
            loop.runPending();
        }

        List<JsonNode> received() {
            List<JsonNode> out = new ArrayList<>();
            for (String t : ws.texts()) {
                try {
                    out.add(EnvelopeCodec.mapper().readTree(t));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return out;
        }

        /** Runs the loop until a message with {@code event} arrived; returns the last such. */
        JsonNode await(String event) {
            loop.runUntil(() -> received().stream().anyMatch(n -> n.path("event").asText().equals(event)), WAIT);
            return received().stream().filter(n -> n.path("event").asText().equals(event)).reduce((a, b) -> b).orElseThrow();
        }

        String createSession() {
            send("{\"event\":\"user.create_session\"}");
            JsonNode created = await("agent.session_created");
            assertThat(created.path("seq").asLong()).isEqualTo(1);
            return created.path("session_id").asText();
        }
    }

    private static String code(JsonNode error) {
        return error.path("metadata").path("code").asText();
    }

    @Test
    void anUnknownEventAndACommandWithoutASessionAreRefusedWithTheirCodes() {
        Client a = new Client("alice");
        a.send("{\"event\":\"user.dance\"}");
        assertThat(code(a.await("error.validation"))).isEqualTo("UNKNOWN_EVENT");
        a.ws.clearSent();
        a.send("{\"event\":\"user.message\",\"content\":{\"text\":\"hi\"}}");
        JsonNode e = a.await("error.validation");
        assertThat(code(e)).isEqualTo("SESSION_REQUIRED");
        assertThat(e.path("metadata").path("field").asText()).isEqualTo("session_id");
        assertThat(agents.started).isEmpty();
    }

    @Test
    void aCreatedSessionIsAttachedAndItsMessagesStartRuns() {
        Client a = new Client("alice");
        String sid = a.createSession();
        assertThat(attachments.count(sid)).isEqualTo(1);

        a.send("{\"event\":\"user.message\",\"content\":{\"text\":\"  \"}}");
        assertThat(code(a.await("error.validation"))).isEqualTo("INVALID_FIELD");
        a.send("{\"event\":\"user.message\",\"content\":{\"text\":\"hello\"},\"metadata\":{\"agent\":\"demo\"}}");
        loop.runUntil(() -> agents.started.size() == 1, WAIT);
        AgentGateway.RunStart run = agents.started.getFirst();
        assertThat(run.sessionId()).isEqualTo(sid);
        assertThat(run.text()).isEqualTo("hello");
        assertThat(run.agent()).isEqualTo("demo");
        assertThat(run.principal().id()).isEqualTo(Principal.user("alice").id());
    }

    @Test
    void anAckBeyondWhatWasSentIsRefusedAndAnotherPrincipalIsForbidden() {
        Client a = new Client("alice");
        String sid = a.createSession();
        a.send("{\"event\":\"user.ack\",\"content\":{\"seq\":5}}");
        assertThat(code(a.await("error.validation"))).isEqualTo("INVALID_FIELD");

        Client b = new Client("bob");
        b.send("{\"event\":\"user.cancel\",\"session_id\":\"" + sid + "\"}");
        assertThat(code(b.await("error.validation"))).isEqualTo("SESSION_FORBIDDEN");
        assertThat(agents.cancelled).isEmpty();
    }

    @Test
    void cancellingNothingIsANoticeAndClosingTwiceSaysAlreadyClosed() {
        Client a = new Client("alice");
        String sid = a.createSession();
        a.send("{\"event\":\"user.cancel\"}");
        assertThat(a.await("system.notice").path("content").path("code").asText()).isEqualTo("NOTHING_TO_CANCEL");
        assertThat(agents.cancelled).containsExactly(sid);

        a.send("{\"event\":\"user.close_session\"}");
        a.await("agent.session_closed");
        a.ws.clearSent();
        a.send("{\"event\":\"user.close_session\"}");
        assertThat(a.await("system.notice").path("content").path("code").asText()).isEqualTo("ALREADY_CLOSED");
        a.send("{\"event\":\"user.message\",\"content\":{\"text\":\"late\"}}");
        assertThat(code(a.await("error.validation"))).isEqualTo("SESSION_CLOSED");
    }

    @Test
    void aResumedConnectionGetsWhatItMissedAndHearsWhenAnotherConnectionDrops() {
        Client a = new Client("alice");
        String sid = a.createSession();
        node.publish(Session.streamOf(sid), EnvelopeCodec.envelope("agent.message", sid, null,
                EnvelopeCodec.mapper().createObjectNode().put("text", "missed"), EnvelopeCodec.mapper().createObjectNode())).join();

        Client b = new Client("alice");
        b.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":1}}");
        JsonNode resumed = b.await("system.notice");
        assertThat(resumed.path("content").path("code").asText()).isEqualTo("RESUMED");
        assertThat(resumed.path("metadata").path("replayed").asInt()).isEqualTo(1);
        assertThat(b.await("agent.message").path("seq").asLong()).isEqualTo(2);
        assertThat(attachments.count(sid)).isEqualTo(2);

        a.c.onClosed(1006, "gone");
        JsonNode lost = b.await("error.connection_lost");
        assertThat(lost.path("metadata").path("connection_id").asText()).isEqualTo(a.ws.id());
        assertThat(attachments.count(sid)).isEqualTo(1);
    }

    @Test
    void aSessionPastItsTimeToLiveCanNotBeResumed() {
        Client a = new Client("alice");
        String sid = a.createSession();
        loop.advance(TTL.plusSeconds(1)); // no sleeping: the sessions read the manual clock

        Client b = new Client("alice");
        b.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\"}");
        assertThat(code(b.await("error.recovery_failed"))).isEqualTo(ErrorCode.SESSION_EXPIRED.name());
    }

    /** Sessions in a map: the store contract without a database. */
    private static final class MemorySessions implements SessionStore {
        private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();

        @Override
        public synchronized boolean create(Session session, int maxOpen, Instant now) {
            long open = byId.values().stream().filter(s -> s.owner().equals(session.owner())
                    && s.status() == Session.Status.OPEN && !s.expiredAt(now)).count();
            if (open >= maxOpen) return false;
            byId.put(session.id(), session);
            return true;
        }

        @Override public Optional<Session> find(String id) { return Optional.ofNullable(byId.get(id)); }
        @Override public void update(Session session) { byId.put(session.id(), session); }
        @Override public void ack(String id, long seq) { byId.computeIfPresent(id, (k, s) -> s.withAckedSeq(seq)); }

        @Override
        public int deleteExpired(Instant cutoff) {
            int before = byId.size();
            byId.values().removeIf(s -> !s.expiresAt().isAfter(cutoff));
            return before - byId.size();
        }
    }

    /** Records what the dialect asks the agent runtime; accepts every run, has none in progress. */
    private static final class Gateway implements AgentGateway {
        final List<RunStart> started = new CopyOnWriteArrayList<>();
        final List<String> cancelled = new CopyOnWriteArrayList<>();

        @Override
        public Reply start(RunStart request) {
            started.add(request);
            return Reply.started("run_" + started.size());
        }

        @Override
        public Reply respond(String sessionId, String stepId, JsonNode content) {
            return Reply.refused(ErrorCode.UNKNOWN_STEP, "no step " + stepId);
        }

        @Override
        public Reply cancel(String sessionId, String runId) {
            cancelled.add(sessionId);
            return Reply.accepted(0);
        }

        @Override public List<String> activeRuns(String sessionId) { return List.of(); }
    }
}
