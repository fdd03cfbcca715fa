package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Node;
import io.agentwire.core.Publication;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The conversation of each progress session, event-sourced on a durable core stream per session
 * ({@value #PREFIX}{@code <session_id>}): each message is one publication {@code {role, content, created_at}}, its
 * offset minus one is its {@code message_index} (0-based, monotonic). Durable on SQLite (one node) and on Redis
 * (cluster) alike, because the provider declares the prefix durable; nothing is held in memory.
 */
final class SessionMemory {
    static final String PREFIX = "progress:memory:";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Node node;
    private final Clock clock;

    SessionMemory(Node node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /** Appends a message; completes with its publication once stored. */
    CompletableFuture<Publication> append(String sessionId, String role, String content) {
        ObjectNode m = NODES.objectNode().put("role", role).put("content", content)
                .put("created_at", Instant.now(clock).toString());
        return node.publish(PREFIX + sessionId, m);
    }

    /** The last {@code limit} messages, oldest first, as {@code {role, content, message_index, created_at}}. */
    CompletableFuture<ArrayNode> last(String sessionId, int limit) {
        String stream = PREFIX + sessionId;
        return node.top(stream).thenCompose(top -> top.offset() == 0
                ? CompletableFuture.completedFuture(List.<Publication>of())
                : node.durableHistory(stream, Math.max(0, top.offset() - limit), limit))
                .thenApply(SessionMemory::messages);
    }

    private static ArrayNode messages(List<Publication> page) {
        ArrayNode out = NODES.arrayNode();
        for (Publication p : page) {
            out.addObject().put("role", p.data().path("role").asText())
                    .put("content", p.data().path("content").asText())
                    .put("message_index", p.offset() - 1)
                    .put("created_at", p.data().path("created_at").asText());
        }
        return out;
    }
}
