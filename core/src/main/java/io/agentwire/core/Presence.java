package io.agentwire.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Who is connected, and to which rooms, for statistics and presence. {@link LocalPresence} counts one node; in
 * cluster mode an implementation shared by every node (Redis) answers for the whole cluster.
 *
 * <p>A <em>scope</em> separates the users of one instance (a dialect or a Socket.IO namespace, e.g.
 * {@code rooms}); connection ids and room names are only compared within a scope. The update methods are called
 * from event loops: they never block and never throw for a connection or room they don't know (a duplicate or
 * late call is harmless). {@link #disconnected} also leaves every room of the connection.
 */
public interface Presence extends AutoCloseable {

    /** A connection of {@code scope} opened. */
    void connected(String scope, String connectionId);

    /** A connection of {@code scope} closed; it leaves all its rooms. */
    void disconnected(String scope, String connectionId);

    /** The connection joined {@code room}. */
    void joined(String scope, String connectionId, String room);

    /** The connection left {@code room}. */
    void left(String scope, String connectionId, String room);

    /** The number of open connections of the scope and the member count of each non-empty room. */
    CompletableFuture<Snapshot> snapshot(String scope);

    /** Counts of one scope: open connections and members per room (rooms with no member are absent). */
    record Snapshot(long connections, Map<String, Long> rooms) {
        public Snapshot {
            rooms = Map.copyOf(rooms);
        }
    }

    /**
     * The ids of the cluster's live nodes (those whose heartbeat has not expired), sorted; empty when the server is
     * a single node (this one: the default). For the console's cluster view; never blocks the caller.
     */
    default CompletableFuture<List<String>> nodes() {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    default void close() { }
}
