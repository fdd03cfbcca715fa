package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/** Where producers (agents, HTTP publishers) put events: {@link Node} implements it. */
@FunctionalInterface
public interface EventSink {
    /**
     * Publishes {@code data} to {@code stream}. The future completes with the publication (offset assigned) once
     * it is accepted, and for durable streams once it is durable; exceptionally with an
     * {@link AgentWireException} ({@code STORE_UNAVAILABLE}, {@code BROKER_UNAVAILABLE}) otherwise.
     * Never blocks the caller (durable appends are queued to the log's writer), so it may be called from an
     * event loop. Dependent stages may run on the log's writer thread: keep them short, or use the async variants.
     */
    CompletableFuture<Publication> publish(String stream, JsonNode data);
}
