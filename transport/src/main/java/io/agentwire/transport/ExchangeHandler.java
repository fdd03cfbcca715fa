package io.agentwire.transport;

import java.util.concurrent.CompletableFuture;

/**
 * An {@link HttpHandler} that also sees the request's {@link HttpExchange}: for replies held open (long-polling)
 * that must notice a client hanging up. Same rules as HttpHandler: called on the event loop, must not block.
 */
@FunctionalInterface
public interface ExchangeHandler {
    CompletableFuture<HttpReply> handle(HttpRequestData request, HttpExchange exchange);
}
