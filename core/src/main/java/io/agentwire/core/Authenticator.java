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
     * {@code sec-websocket-key} is left out), query parameters, peer.
     */
    record Request(String path, Map<String, List<String>> headers, Map<String, List<String>> query, String remoteAddress) {
        public Request {
            java.util.Objects.requireNonNull(path, "path");
            headers = PairMap.copyOf(headers); // immutable, and compact: it lives as long as the connection
            query = PairMap.copyOf(query);
        }

        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        public Optional<String> queryParam(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        /** The bearer token from {@code Authorization: Bearer …} or, failing that, the {@code token} parameter. */
        public Optional<String> bearerToken() {
            Optional<String> h = header("authorization")
                    .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(a -> a.substring(7).trim());
            return h.isPresent() ? h : queryParam("token");
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
