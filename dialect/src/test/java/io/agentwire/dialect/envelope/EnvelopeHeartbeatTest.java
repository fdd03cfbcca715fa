package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeats: the server sends them; a client that stops answering is closed 1001, one that answers is not. */
@Tag("integration")
class EnvelopeHeartbeatTest {
    @TempDir Path dir;

    @Test
    void aSilentConnectionIsClosedWithHeartbeatTimeoutAndItsSessionLivesOn() throws Exception {
        Harness.Settings fast = Harness.Settings.defaults()
                .withEnvelope(new EnvelopeConfig("/ws", Duration.ofMillis(100), Duration.ofMillis(500), 1 << 20, 50, 100, "demo"));
        try (Harness server = new Harness(dir, fast)) {
            Client answering = Client.connect(server.uri("alice"));
            Client silent = Client.connect(server.uri("bob"));
            String sid = silent.createSession();
            answering.await("system.connected");
            Thread keepAlive = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 20; i++) {
                        JsonNode hb = answering.await("system.heartbeat");
                        assertThat(hb.path("metadata").path("ts").asLong()).isPositive();
                        answering.send(Client.envelope("user.heartbeat"));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // the silent client sends nothing more (a half-open connection)
            assertThat(silent.awaitClose()).isEqualTo(1001);
            assertThat(silent.closeReason).isEqualTo("heartbeat timeout");
            keepAlive.join();
            assertThat(answering.closed).isNotDone();
            try (Client back = Client.connect(server.uri("bob"))) {
                back.await("system.connected");
                back.send(Client.envelope("user.reconnect").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("last_seq", 1)));
                assertThat(back.await("system.notice").path("content").path("code").asText()).isEqualTo("RESUMED");
            }
            answering.close();
        }
    }

    @Test
    void otherConnectionsOfTheSessionHearThatOneDropped() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            Client a = Client.connect(server.uri("alice"));
            String sid = a.createSession();
            try (Client b = Client.connect(server.uri("alice"))) {
                b.await("system.connected");
                b.send(Client.envelope("user.reconnect").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("last_seq", 1)));
                b.await("system.notice");
                String aId = a.all.get(0).path("connection_id").asText();
                a.abort();
                JsonNode lost = b.await("error.connection_lost");
                assertThat(lost.path("metadata").path("code").asText()).isEqualTo("CONNECTION_LOST");
                assertThat(lost.path("metadata").path("connection_id").asText()).isEqualTo(aId);
            }
        }
    }
}
