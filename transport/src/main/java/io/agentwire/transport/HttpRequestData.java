package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a route handler sees it, free of Netty types. {@code method} is upper case, {@code path} has
 * no query string, header names are lower case, {@code body} is the whole (aggregated) body and is not copied:
 * do not modify it.
 */
public record HttpRequestData(String method, String path, Map<String, List<String>> query,
                              Map<String, List<String>> headers, byte[] body, String remoteAddress) {
    public HttpRequestData {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /** The first value of a header (name case-insensitive). */
    public Optional<String> header(String name) {
        return first(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        return first(query.get(name));
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** What an {@link Authenticator} needs from this request. */
    public Authenticator.Request authRequest() {
        return new Authenticator.Request(path, headers, query, remoteAddress);
    }

    private static Optional<String> first(List<String> values) {
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
