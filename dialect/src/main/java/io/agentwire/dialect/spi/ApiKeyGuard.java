package io.agentwire.dialect.spi;

import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;

/**
 * The HTTP API's key check ({@code agentwire.auth.api-key}, as {@code X-API-Key} or {@code Authorization: Bearer}),
 * compared in constant time. Dialects guard their HTTP API routes with it.
 */
@FunctionalInterface
public interface ApiKeyGuard {
    /** {@code null} when the request carries the key; otherwise the 401 reply to answer with. */
    HttpReply check(HttpRequestData request);
}
