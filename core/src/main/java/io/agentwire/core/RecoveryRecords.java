package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Short-lived records a client may come back for, possibly on another node: the state of a disconnected Socket.IO
 * socket for connection state recovery. One node keeps them in memory; in cluster mode they live where every node
 * can read them (Redis).
 *
 * <p>Keys are compared within a scope (e.g. a Socket.IO server and namespace). Neither method blocks or throws: a
 * record that could not be stored is logged and simply not found later (the client then starts afresh).
 */
public interface RecoveryRecords {

    /** Keeps {@code record} under {@code key} for {@code ttl}, replacing an earlier one. */
    void put(String scope, String key, JsonNode record, Duration ttl);

    /** Removes and returns the record, or null if there is none (never stored, taken, expired, or unreadable). */
    CompletableFuture<JsonNode> take(String scope, String key);
}
