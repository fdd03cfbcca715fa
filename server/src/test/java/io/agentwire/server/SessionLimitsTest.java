package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (9): sessions per principal and session metadata size are bounded (agentwire.sessions.max-per-principal,
 * max-metadata-bytes), answered with the envelope dialect's documented error.validation, over a real WebSocket.
 */
@Tag("integration")
class SessionLimitsTest {
    @TempDir Path dir;

    private static JsonSocket envelope(int port, String user) throws InterruptedException {
        JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestTokens.hs256(user)));
        ws.awaitEvent("system.connected");
        return ws;
    }

    private static JsonNode create(JsonSocket ws, String metadata) throws InterruptedException {
        ws.send("{\"event\":\"user.create_session\",\"content\":{\"metadata\":" + metadata + "}}");
        return ws.await(n -> n.path("event").asText().equals("agent.session_created")
                || n.path("event").asText().startsWith("error."), "a created session or an error");
    }

    @Test
    void aPrincipalHasAtMostItsMaximumOfOpenSessionsAndMetadataIsBounded() throws Exception {
        try (AgentWireServer s = new AgentWireServer(TestConfigs.production(dir, "limits-test-api-key-0123456789abcdef",
                Map.of("agentwire.sessions.max-per-principal", 3, "agentwire.sessions.max-metadata-bytes", 1024)))) {
            int port = s.start();
            try (JsonSocket alice = envelope(port, "alice"); JsonSocket alice2 = envelope(port, "alice");
                 JsonSocket bob = envelope(port, "bob")) {
                String last = null;
                for (int i = 0; i < 3; i++) {
                    JsonNode r = create(i < 2 ? alice2 : alice, "{\"n\":" + i + "}"); // counted per principal
                    assertThat(r.path("event").asText()).isEqualTo("agent.session_created");
                    last = r.path("session_id").asText();
                }
                JsonNode refused = create(alice2, "{}");
                assertThat(refused.path("event").asText()).isEqualTo("error.validation");
                assertThat(refused.path("metadata").path("code").asText()).isEqualTo("SESSION_LIMIT");
                assertThat(refused.path("content").path("message").asText()).contains("3 open sessions");

                assertThat(create(bob, "{}").path("event").asText()).isEqualTo("agent.session_created"); // bob unaffected

                // closing one frees its place
                alice.send("{\"event\":\"user.close_session\",\"session_id\":\"" + last + "\"}");
                alice.awaitEvent("agent.session_closed");
                assertThat(create(alice, "{}").path("event").asText()).isEqualTo("agent.session_created");

                JsonNode big = create(bob, "{\"blob\":\"" + "x".repeat(1100) + "\"}");
                assertThat(big.path("event").asText()).isEqualTo("error.validation");
                assertThat(big.path("metadata").path("code").asText()).isEqualTo("INVALID_FIELD");
                assertThat(big.path("metadata").path("field").asText()).isEqualTo("content.metadata");
                assertThat(big.path("content").path("message").asText()).contains("at most 1024");
                assertThat(create(bob, "{\"small\":true}").path("event").asText()).isEqualTo("agent.session_created");
            }
        }
    }
}
