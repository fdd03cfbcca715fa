package io.agentwire.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.Publication;
import java.util.concurrent.CompletableFuture;

/** An append waiting for the writer. Identity equality: the queue removes exactly this one. */
final class PendingAppend {
    final String stream;
    final JsonNode data;
    final String json;
    final long timeMillis;
    final CompletableFuture<Publication> future = new CompletableFuture<>();

    PendingAppend(String stream, JsonNode data, String json, long timeMillis) {
        this.stream = stream;
        this.data = data;
        this.json = json;
        this.timeMillis = timeMillis;
    }
}
