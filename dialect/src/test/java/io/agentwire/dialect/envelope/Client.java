package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.dialect.JsonWsClient;
import java.net.URI;
import java.util.List;

/** A real WebSocket client speaking envelopes, recording what it receives. */
final class Client extends JsonWsClient {

    private Client(URI uri, boolean reading) {
        super(uri, reading);
    }

    static Client connect(URI uri) { return new Client(uri, true); }

    /** A client that reads the first message and then stops reading (TCP back-pressure builds up). */
    static Client connectNotReading(URI uri) { return new Client(uri, false); }

    static ObjectNode envelope(String event) {
        return JSON.createObjectNode().put("event", event);
    }

    /** The next message whose event matches. */
    JsonNode await(String event) throws InterruptedException {
        return await(n -> event.equals(n.path("event").asText()), event);
    }

    /** Everything up to and including the next message matching {@code event}. */
    List<JsonNode> collectUntil(String event) throws InterruptedException {
        return collectUntil(n -> event.equals(n.path("event").asText()), event);
    }

    /** Waits for system.connected, creates a session and returns its id (after checking seq 1). */
    String createSession() throws InterruptedException {
        await("system.connected");
        return newSession();
    }

    /** Creates a session on an already greeted connection and returns its id (after checking seq 1). */
    String newSession() throws InterruptedException {
        send(envelope("user.create_session"));
        JsonNode created = await("agent.session_created");
        assertThat(created.get("seq").asLong()).isEqualTo(1);
        return created.path("content").path("session_id").asText();
    }
}
