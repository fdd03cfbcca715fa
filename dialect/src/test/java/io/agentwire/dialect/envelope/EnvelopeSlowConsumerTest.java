package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.Session;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import io.agentwire.transport.WriterLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 4: a client that stops reading is cut off with a typed reason, nobody else slows, and it can resume. */
@Tag("integration")
class EnvelopeSlowConsumerTest {
    @TempDir Path dir;

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileAnotherKeepsUpAndTheFirstCanResume() throws Exception {
        Harness.Settings tight = Harness.Settings.defaults().withWriter(new WriterLimits(500, 4L << 20, Duration.ofMillis(500)));
        try (Harness server = new Harness(dir, tight)) {
            String slowSid;
            String fastSid;
            try (Client c = Client.connect(server.uri("slow"))) { slowSid = c.createSession(); }
            Client fast = Client.connect(server.uri("fast"));
            fastSid = fast.createSession();
            Client slow = Client.connectNotReading(server.uri("slow"));
            slow.send(Client.envelope("user.reconnect").put("session_id", slowSid).set("content", Client.JSON.createObjectNode().put("last_seq", 1)));
            Thread.sleep(200);

            String padding = "p".repeat(2_000);
            int events = 3_000;
            Thread toSlow = Thread.ofPlatform().start(() -> publish(server, slowSid, events, padding));
            Thread toFast = Thread.ofPlatform().start(() -> publish(server, fastSid, events, padding));
            toSlow.join();
            toFast.join();

            // the server cut the slow connection off (4008; it logs the queue size); the fast one is still there
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (server.dialect.connections() > 1 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(server.dialect.connections()).isEqualTo(1);
            slow.resumeReading(); // the client reads what was still on the wire, then the close
            assertThat(slow.awaitClose()).as("closed as a slow consumer").isIn(4008, 1006);
            List<Long> fastSeqs = new ArrayList<>();
            while (fastSeqs.size() < events) {
                JsonNode n = fast.await(x -> x.has("seq"), "fast client's events");
                fastSeqs.add(n.get("seq").asLong());
            }
            for (int i = 0; i < events; i++) assertThat(fastSeqs.get(i)).isEqualTo(i + 2L);
            assertThat(fast.closed).isNotDone();

            long lastSeen = 1;
            for (JsonNode n : slow.all) if (n.has("seq")) lastSeen = n.get("seq").asLong();
            try (Client back = Client.connect(server.uri("slow"))) {
                back.await("system.connected");
                back.send(Client.envelope("user.reconnect").put("session_id", slowSid).set("content", Client.JSON.createObjectNode().put("last_seq", lastSeen)));
                List<JsonNode> replay = back.collectUntil("system.notice");
                List<Long> seqs = new ArrayList<>();
                for (JsonNode n : replay) if (n.has("seq")) seqs.add(n.get("seq").asLong());
                assertThat(seqs).hasSize((int) (events + 1 - lastSeen));
                for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(lastSeen + 1 + i);
            }
            fast.close();
        }
    }

    private static void publish(Harness server, String sid, int n, String padding) {
        for (int i = 0; i < n; i++) {
            var data = EnvelopeCodec.envelope("agent.partial_answer", sid, null,
                    JsonNodeFactory.instance.objectNode().put("text", padding), JsonNodeFactory.instance.objectNode().put("run_id", "run_bulk"));
            server.node.publish(Session.streamOf(sid), data).join();
        }
    }
}
