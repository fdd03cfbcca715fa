package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Fan-out and bounded history of streams. Implementations side by side: {@link MemoryBroker} (one process) and,
 * in cluster mode, a Redis broker.
 *
 * <p>Contract (rules 1 and 2 of DESIGN.md):
 * <ul>
 *   <li>{@link #publish} assigns the next offset of the stream atomically (1, 2, 3 … with no gap), appends the
 *       publication to the stream's window and hands it to the delivery consumer of every node, per stream in
 *       offset order.</li>
 *   <li>{@link #append} does the same for a publication whose offset a durable {@link EventLog} already
 *       assigned; the broker keeps the log's offsets and epoch.</li>
 *   <li>{@link #history} answers "everything after this position" from the window, all or nothing.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** Sets the consumer that receives every publication for local delivery (the Node's hub). Called once. */
    void onDelivery(Consumer<Publication> delivery);

    /** Publishes to a stream whose offsets this broker assigns. */
    CompletableFuture<Publication> publish(String stream, JsonNode data);

    /**
     * Appends a publication whose offset was assigned by a durable log. Called in offset order per stream. If
     * the offset does not follow the window's top (the window was lost, e.g. after a restart), the window
     * starts again at this publication.
     */
    CompletableFuture<Publication> append(Publication committed);

    /** Everything after {@code since} that the window still holds, or why not. */
    CompletableFuture<History> history(String stream, StreamPosition since, int limit);

    /** The stream's current top (offset of its last publication, 0 if none) and epoch. */
    CompletableFuture<StreamPosition> top(String stream);

    /**
     * Tells the broker which streams have subscribers on this node, so that it keeps their state (epoch, top)
     * while they are idle. Called once, by the Node. The default ignores it.
     */
    default void retainWhile(java.util.function.Predicate<String> inUse) { }

    /** Whether the broker can take publications now (for readiness). */
    default boolean ready() { return true; }

    @Override
    void close();
}
