package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import io.agentwire.core.WireMeters;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import io.agentwire.transport.testing.FakeWsConnection;
import io.agentwire.transport.testing.ManualExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The held-then-released delivery of one connection's session stream, with a fake connection (no socket, no thread). */
class SessionAttachmentTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final ManualExecutor loop = new ManualExecutor();
    private final FakeWsConnection ws = new FakeWsConnection(loop);
    private final EnvelopeConnection connection = new EnvelopeConnection(ws, EnvelopeConfig.DEFAULT, null, new Attachments(), WireMeters.NONE);

    private static Publication event(long seq) {
        ObjectNode e = EnvelopeCodec.envelope("agent.message", "sess_1", null, JSON.objectNode().put("n", seq), JSON.objectNode());
        return new Publication("session:sess_1", seq, "ep", 0, e);
    }

    private List<JsonNode> sent() {
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

    private List<String> summary() {
        List<String> out = new ArrayList<>();
        for (JsonNode n : sent()) {
            String ev = n.path("event").asText();
            out.add(n.has("seq") ? ev + "#" + n.path("seq").asLong() : ev);
        }
        return out;
    }

    @Test
    void heldEventsGoOutInTheSpecsOrderThenLiveOnesDirectly() {
        SessionAttachment a = new SessionAttachment("sess_1", connection, 100);
        for (long i = 1; i <= 4; i++) a.onPublication(event(i));
        assertThat(ws.texts()).as("held until released").isEmpty();

        a.release(Messages.stateExported("sess_1", JSON.objectNode().put("last_seq", 0)), 2,
                Messages.notice("sess_1", "RESUMED", "resumed", null));
        a.onPublication(event(5));

        assertThat(summary()).containsExactly("agent.state_exported", "agent.message#1", "agent.message#2",
                "system.notice", "agent.message#3", "agent.message#4", "agent.message#5");
        assertThat(sent()).allSatisfy(n -> assertThat(n.path("connection_id").asText()).isEqualTo(ws.id()));
        assertThat(a.lastSentSeq()).isEqualTo(5);
    }

    @Test
    void aLongReplayIsPacedByTheSendQueueAndResumesWhenTheClientReads() {
        int total = SessionAttachment.REPLAY_BUDGET * 3 + 7;
        SessionAttachment a = new SessionAttachment("sess_1", connection, 10_000);
        for (long i = 1; i <= total; i++) a.onPublication(event(i));
        ws.stall();

        a.release(null, total, Messages.notice("sess_1", "RESUMED", "resumed", null));
        assertThat(ws.texts()).hasSize(SessionAttachment.REPLAY_BUDGET);
        assertThat(ws.waitingForDrain()).isTrue();
        a.onPublication(event(total + 1)); // live, while the replay waits: stays behind it
        assertThat(loop.runPending()).as("no polling: nothing to run until the client reads").isZero();

        int reads = 0;
        while (ws.waitingForDrain()) {
            assertThat(ws.queuedMessages()).isLessThanOrEqualTo(SessionAttachment.REPLAY_BUDGET);
            ws.read();
            ws.stall();
            loop.runPending();
            reads++;
        }
        assertThat(reads).isEqualTo(3);
        List<String> s = summary();
        assertThat(s).hasSize(total + 2);
        assertThat(s.get(total)).isEqualTo("system.notice");
        assertThat(s.get(total + 1)).isEqualTo("agent.message#" + (total + 1));
        for (int i = 0; i < total; i++) assertThat(s.get(i)).isEqualTo("agent.message#" + (i + 1));
        assertThat(ws.closedWith()).isNull();
    }

    @Test
    void tooManyHeldEventsCloseTheConnectionAsASlowConsumer() {
        SessionAttachment a = new SessionAttachment("sess_1", connection, 3);
        for (long i = 1; i <= 4; i++) a.onPublication(event(i));
        assertThat(ws.closedWith()).isEqualTo(DisconnectReason.SLOW_CONSUMER);
    }

    @Test
    void aDetachedAttachmentSendsNothingAndAPausedReplayStops() {
        SessionAttachment a = new SessionAttachment("sess_1", connection, 10_000);
        for (long i = 1; i <= SessionAttachment.REPLAY_BUDGET + 10; i++) a.onPublication(event(i));
        ws.stall();
        a.release(null, Long.MAX_VALUE, null);
        assertThat(ws.texts()).hasSize(SessionAttachment.REPLAY_BUDGET);

        a.detach();
        assertThat(a.detached()).isTrue();
        ws.read();
        loop.runPending();
        a.onPublication(event(1_000));
        assertThat(ws.texts()).hasSize(SessionAttachment.REPLAY_BUDGET);
    }

    @Test
    void aCoreTerminationClosesTheConnectionSoTheClientResumes() {
        new SessionAttachment("sess_1", connection, 10).onTerminated(ErrorCode.SLOW_CONSUMER);
        assertThat(ws.closedWith()).isEqualTo(DisconnectReason.SLOW_CONSUMER);

        FakeWsConnection other = new FakeWsConnection(loop);
        EnvelopeConnection c = new EnvelopeConnection(other, EnvelopeConfig.DEFAULT, null, new Attachments(), WireMeters.NONE);
        new SessionAttachment("sess_1", c, 10).onTerminated(ErrorCode.BROKER_UNAVAILABLE);
        assertThat(other.closedWith()).isEqualTo(DisconnectReason.INTERNAL_ERROR);
    }
}
