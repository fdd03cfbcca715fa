package io.agentwire.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Establishes the {@link Principal} of a new connection (JWT, API key, credentials, anonymous). Called once per
 * connection attempt, before any message is accepted; may be called on an event loop, so it must not block.
 */
@FunctionalInterface
public interface Authenticator {

    Result authenticate(Request request);

    /**
     * What a client presented: the request path, headers (names in lower case; a WebSocket handshake's one-time
     * {@code sec-websocket-key} is left out), query parameters, peer. Immutable; equal when all four are.
     *
     * <p>A WebSocket's request lives as long as its connection, so the headers and the query are copied into one
     * array of name/value pairs and {@link #headers()} and {@link #query()} are maps made over it when called (each
     * call a new, equal, immutable view); {@link #header} and {@link #queryParam} read the array directly.
     */
    final class Request {
        private static final String[] NO_PAIRS = {};

        private final String path;
        private final String[] pairs; // the headers' pairs, then the query's (PairMap)
        private final int queryAt;
        private final String remoteAddress;

        /** Copies {@code headers} and {@code query}; null names, lists or values throw, as {@link Map#copyOf}. */
        public Request(String path, Map<String, List<String>> headers, Map<String, List<String>> query,
                       String remoteAddress) {
            this.path = java.util.Objects.requireNonNull(path, "path");
            int slots = PairMap.slots(headers) + PairMap.slots(query);
            this.pairs = slots == 0 ? NO_PAIRS : new String[slots];
            this.queryAt = PairMap.write(headers, pairs, 0);
            PairMap.write(query, pairs, queryAt);
            this.remoteAddress = remoteAddress;
        }

        public String path() { return path; }

        public Map<String, List<String>> headers() { return new PairMap(pairs, 0, queryAt); }

        public Map<String, List<String>> query() { return new PairMap(pairs, queryAt, pairs.length); }

        public String remoteAddress() { return remoteAddress; }

        public Optional<String> header(String name) {
            return Optional.ofNullable(PairMap.first(pairs, 0, queryAt, name.toLowerCase(java.util.Locale.ROOT)));
        }

        public Optional<String> queryParam(String name) {
            return Optional.ofNullable(PairMap.first(pairs, queryAt, pairs.length, name));
        }

        /** The bearer token from {@code Authorization: Bearer …} or, failing that, the {@code token} parameter. */
        public Optional<String> bearerToken() {
            Optional<String> h = header("authorization")
                    .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(a -> a.substring(7).trim());
            return h.isPresent() ? h : queryParam("token");
        }

        @Override
        public boolean equals(Object o) {
            // as the record this was: its maps equal (whatever the names' order), not its array
            return o == this || o instanceof Request r && path.equals(r.path) && headers().equals(r.headers())
                    && query().equals(r.query()) && java.util.Objects.equals(remoteAddress, r.remoteAddress);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(path, headers(), query(), remoteAddress);
        }

        @Override
        public String toString() {
            return "Request[path=" + path + ", headers=" + headers() + ", query=" + query() + ", remoteAddress="
                    + remoteAddress + "]";
        }
    }

    sealed interface Result permits Accepted, Rejected { }

    record Accepted(Principal principal) implements Result { }

    record Rejected(ErrorCode code, String message) implements Result {
        public Rejected {
            java.util.Objects.requireNonNull(code, "code");
            if (message == null || message.isBlank()) message = code.defaultMessage();
        }
    }
}
