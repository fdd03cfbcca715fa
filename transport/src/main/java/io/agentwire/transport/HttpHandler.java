package io.agentwire.transport;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one HTTP route. Called on the connection's event loop, so it must not block: blocking work goes through
 * {@link io.agentwire.core.Blocking#supply}, whose future is returned as is. A thrown exception or a failed future
 * becomes a 500 (logged, never sent to the client).
 */
@FunctionalInterface
public interface HttpHandler {
    CompletableFuture<HttpReply> handle(HttpRequestData request);
}
