package io.agentwire.transport.engineio;

import io.agentwire.transport.HttpRequestData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cross-origin settings of the long-polling transport (WebSocket upgrades are not subject to CORS). A request whose
 * {@code Origin} is allowed gets {@code Access-Control-Allow-Origin} (the origin itself, or {@code *} when any
 * origin is allowed without credentials); an {@code OPTIONS} preflight is answered 204.
 *
 * @param origins allowed origins ({@code https://app.example.com}), or {@code "*"} for any; empty: no CORS headers
 * @param credentials whether to send {@code Access-Control-Allow-Credentials: true} (cookies, auth headers)
 * @param maxAge how long a browser may cache a preflight answer
 */
public record EngineIoCors(List<String> origins, boolean credentials, Duration maxAge) {
    /** No CORS headers at all (same-origin clients and non-browser clients). */
    public static final EngineIoCors NONE = new EngineIoCors(List.of(), false, Duration.ZERO);

    public EngineIoCors {
        origins = List.copyOf(origins);
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) throw new IllegalArgumentException("maxAge must not be negative");
        for (String o : origins) {
            if (o.isBlank()) throw new IllegalArgumentException("an origin must not be blank");
        }
    }

    /** Any origin, no credentials. */
    public static EngineIoCors anyOrigin() {
        return new EngineIoCors(List.of("*"), false, Duration.ofHours(1));
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** The CORS response headers for {@code request} (none if its origin is not allowed or absent). */
    Map<String, String> headers(HttpRequestData request) {
        String origin = request.header("origin").orElse(null);
        if (!enabled() || origin == null) return Map.of();
        boolean any = origins.contains("*");
        if (!any && !origins.contains(origin)) return Map.of();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("access-control-allow-origin", any && !credentials ? "*" : origin);
        h.put("vary", "Origin");
        if (credentials) h.put("access-control-allow-credentials", "true");
        return h;
    }

    /** The extra headers of a preflight answer. */
    Map<String, String> preflightHeaders(HttpRequestData request) {
        Map<String, String> h = new LinkedHashMap<>(headers(request));
        if (h.isEmpty()) return h;
        h.put("access-control-allow-methods", "GET, POST, OPTIONS");
        request.header("access-control-request-headers").ifPresent(v -> h.put("access-control-allow-headers", v));
        h.put("access-control-max-age", Long.toString(maxAge.toSeconds()));
        return h;
    }
}
