package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Durable history of the streams that must survive a restart (sessions). The log assigns offsets itself, in the
 * same transaction that stores the publication, so an offset a client has seen is never reused after a crash,
 * and a failed write leaves no gap (see docs/architecture.md, "Durable streams").
 *
 * <p>Implementations batch appends (group commit) on a dedicated writer. Reads block: call them through
 * {@link Blocking}.
 */
public interface EventLog extends AutoCloseable {

    /**
     * Sets the listener that receives every committed publication, in commit order, on the writer thread,
     * before the append's future completes. The Node uses it to hand publications to the broker in offset order.
     */
    void onCommit(Consumer<Publication> listener);

    /** Appends to the stream with the next offset; completes once the publication is durable. */
    CompletableFuture<Publication> append(String stream, JsonNode data);

    /** Publications of the stream with offset > afterOffset, in order, at most {@code limit}. Blocking. */
    List<Publication> read(String stream, long afterOffset, int limit);

    /** The stream's last durable offset (0 if none) and the log's epoch. Blocking. */
    StreamPosition top(String stream);

    /** The epoch of this log: changes only if the log's storage is lost (a new database file). */
    String epoch();

    /** Whether the log can take appends now (for readiness). */
    default boolean ready() { return true; }

    @Override
    void close();
}
