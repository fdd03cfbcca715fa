package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.dialect.JsonWsClient;
import java.net.URI;

/**
 * A dashboard: a real WebSocket client that answers the server's {@code ping} with {@code pong} like spec 002's
 * client, unless made {@link #silent}.
 */
final class WsClient extends JsonWsClient {
    private final boolean answerPings;

    private WsClient(URI uri, boolean answerPings) {
        super(uri, true);
        this.answerPings = answerPings;
    }

    static WsClient connect(URI uri) { return new WsClient(uri, true); }

    /** A dashboard that never answers pings and sends nothing unless told. */
    static WsClient silent(URI uri) { return new WsClient(uri, false); }

    @Override
    protected void onMessage(JsonNode n) {
        if (answerPings && "ping".equals(n.path("type").asText())) sendLater("{\"type\":\"pong\"}");
    }

    static ObjectNode type(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    static ObjectNode type(String type, String sessionId) {
        return type(type).put("session_id", sessionId);
    }

    static ObjectNode event(String event) {
        return JSON.createObjectNode().put("event", event);
    }

    /** The next message of this {@code type}, skipping others (pings included). */
    JsonNode awaitType(String type) throws InterruptedException {
        return await(n -> type.equals(n.path("type").asText()), "type " + type);
    }

    /** The next envelope with this {@code event}. */
    JsonNode awaitEvent(String event) throws InterruptedException {
        return await(n -> event.equals(n.path("event").asText()), "event " + event);
    }
}
