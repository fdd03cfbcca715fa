package io.agentwire.transport;

import java.util.List;
import java.util.Map;

/**
 * Sees a request as soon as its head (request line and headers) has arrived, before its body: a route whose
 * requests must not overlap (Engine.IO's POSTs of one session) can refuse one while an earlier one is still being
 * read. Called on the connection's event loop; must not block.
 */
@FunctionalInterface
public interface HeadCheck {
    /**
     * @param connection the connection the request came on ({@link HttpExchange#connection()} identifies it)
     * @return null to read the body and route the request as usual, or the reply that refuses it (the connection is
     *     then closed)
     */
    HttpReply check(String method, Map<String, List<String>> query, HttpExchange connection);
}
