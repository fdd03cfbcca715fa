package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The acknowledgements a socket waits for from its client ({@code emitWithAck}), by ack id. Event loop only. */
final class PendingAcks {
    private Map<Long, CompletableFuture<ArrayNode>> waiting; // created by the first add: most sockets never wait
    private long nextId;

    /** Registers {@code result}, failed with a TimeoutException after {@code timeout}; returns the ack id to send. */
    long add(CompletableFuture<ArrayNode> result, Duration timeout, ScheduledExecutorService loop) {
        long id = nextId++;
        if (waiting == null) waiting = new HashMap<>();
        waiting.put(id, result);
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (waiting.remove(id) != null) result.completeExceptionally(new TimeoutException("operation has timed out"));
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> timer.cancel(false));
        return id;
    }

    /** The client answered {@code id} (an unknown or late id is ignored). */
    void complete(long id, ArrayNode args) {
        CompletableFuture<ArrayNode> f = waiting == null ? null : waiting.remove(id);
        if (f != null) f.complete(args);
    }

    /** The socket is gone: every waiting acknowledgement fails. */
    void failAll() {
        if (waiting == null) return;
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("socket has been disconnected")));
        waiting.clear();
    }
}
