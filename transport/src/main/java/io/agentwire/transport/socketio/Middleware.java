package io.agentwire.transport.socketio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Decides whether a socket may join a namespace (socket.io's {@code namespace.use((socket, next) => …)}). Runs on the
 * connection's event loop: it must not block; blocking checks return {@code Blocking.supply(…)}. Middlewares run in
 * the order they were added; the first rejection wins. A thrown exception or a failed stage rejects with
 * "server error".
 */
@FunctionalInterface
public interface Middleware {
    CompletionStage<ConnectReply> check(ConnectRequest request);

    /** A middleware that decides at once. */
    static Middleware of(Function<ConnectRequest, ConnectReply> decide) {
        return request -> CompletableFuture.completedFuture(decide.apply(request));
    }
}
