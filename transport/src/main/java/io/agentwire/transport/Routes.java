package io.agentwire.transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What one {@link NettyServer} answers: HTTP routes by method and exact path (or path prefix) and WebSocket
 * endpoints. Immutable; build it with {@link #builder()}. Exact paths win over prefixes, longer prefixes over
 * shorter ones.
 */
public final class Routes {
    private final Map<String, Map<String, Object>> exact;
    private final List<Map.Entry<String, Map<String, Object>>> prefixes;
    private final List<WebSocketEndpoint> webSockets;
    private final Map<String, HeadCheck> headChecks;

    private Routes(Builder b) {
        exact = copy(b.exact);
        headChecks = Map.copyOf(b.headChecks);
        List<Map.Entry<String, Map<String, Object>>> p = new ArrayList<>();
        b.prefixes.forEach((prefix, byMethod) -> p.add(Map.entry(prefix, Map.copyOf(byMethod))));
        p.sort(Comparator.comparingInt((Map.Entry<String, ?> e) -> e.getKey().length()).reversed());
        prefixes = List.copyOf(p);
        List<WebSocketEndpoint> ws = new ArrayList<>(b.webSockets);
        ws.sort(Comparator.comparing(WebSocketEndpoint::prefix).thenComparing(e -> -e.path().length()));
        webSockets = List.copyOf(ws);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The result of looking up an HTTP request. */
    sealed interface Lookup permits Found, FoundExchange, MethodNotAllowed, NotFound { }

    record Found(HttpHandler handler) implements Lookup { }

    record FoundExchange(ExchangeHandler handler) implements Lookup { }

    record MethodNotAllowed(String allow) implements Lookup { }

    record NotFound() implements Lookup { }

    Lookup http(String method, String path) {
        Map<String, Object> byMethod = exact.get(path);
        if (byMethod == null) {
            byMethod = prefixes.stream().filter(e -> path.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (byMethod == null) return new NotFound();
        Object h = byMethod.get(method);
        if (h instanceof HttpHandler plain) return new Found(plain);
        if (h instanceof ExchangeHandler exchange) return new FoundExchange(exchange);
        return new MethodNotAllowed(String.join(", ", new TreeSet<>(byMethod.keySet())));
    }

    /** The {@link HeadCheck} of exactly {@code path}, or null. */
    HeadCheck headCheck(String path) {
        return headChecks.get(path);
    }

    Optional<WebSocketEndpoint> webSocket(String path) {
        return webSockets.stream().filter(e -> e.matches(path)).findFirst();
    }

    static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/', was " + path);
        if (path.indexOf('?') >= 0) throw new IllegalArgumentException("path must not hold a query, was " + path);
    }

    private static Map<String, Map<String, Object>> copy(Map<String, Map<String, Object>> m) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, Map.copyOf(v)));
        return Map.copyOf(out);
    }

    /**
     * A path a route table answers: exactly ({@code prefix} false) or every path under it. Two tables that would
     * share one listener must not claim overlapping paths.
     */
    public record Claim(String path, boolean prefix) {
        /** Whether a request path could be answered by both claims. */
        public boolean overlaps(Claim other) {
            if (prefix && other.prefix) return path.startsWith(other.path) || other.path.startsWith(path);
            if (prefix) return other.path.startsWith(path);
            if (other.prefix) return path.startsWith(other.path);
            return path.equals(other.path);
        }

        @Override
        public String toString() {
            return prefix ? path + "*" : path;
        }
    }

    /** Collects routes; registering the same method and path (or endpoint path) twice is an error. */
    public static final class Builder {
        private final Map<String, Map<String, Object>> exact = new LinkedHashMap<>();
        private final Map<String, Map<String, Object>> prefixes = new LinkedHashMap<>();
        private final List<WebSocketEndpoint> webSockets = new ArrayList<>();
        private final Map<String, HeadCheck> headChecks = new LinkedHashMap<>();

        private Builder() { }

        /** Checks every request to exactly {@code path} when its head has arrived, before its body is read. */
        public Builder headCheck(String path, HeadCheck check) {
            checkPath(path);
            Objects.requireNonNull(check, "check");
            if (headChecks.putIfAbsent(path, check) != null) {
                throw new IllegalArgumentException("a head check is already registered for " + path);
            }
            return this;
        }

        /** {@code method} (e.g. {@code GET}) on exactly {@code path}. */
        public Builder route(String method, String path, HttpHandler handler) {
            return add(exact, method, path, handler);
        }

        /** {@code method} on every path starting with {@code prefix}, e.g. {@code /socket.io/}. */
        public Builder prefixRoute(String method, String prefix, HttpHandler handler) {
            return add(prefixes, method, prefix, handler);
        }

        /** {@code method} on exactly {@code path}, answered by a handler that sees the {@link HttpExchange}. */
        public Builder exchange(String method, String path, ExchangeHandler handler) {
            return add(exact, method, path, handler);
        }

        public Builder get(String path, HttpHandler handler) {
            return route("GET", path, handler);
        }

        public Builder post(String path, HttpHandler handler) {
            return route("POST", path, handler);
        }

        public Builder webSocket(WebSocketEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            for (WebSocketEndpoint e : webSockets) {
                if (e.path().equals(endpoint.path()) && e.prefix() == endpoint.prefix()) {
                    throw new IllegalArgumentException("a WebSocket endpoint is already registered at " + e.path());
                }
            }
            webSockets.add(endpoint);
            return this;
        }

        public Routes build() {
            return new Routes(this);
        }

        /** The paths registered so far: exact routes, prefix routes and WebSocket endpoints. */
        public java.util.List<Claim> claims() {
            List<Claim> out = new ArrayList<>();
            exact.keySet().forEach(path -> out.add(new Claim(path, false)));
            prefixes.keySet().forEach(path -> out.add(new Claim(path, true)));
            webSockets.forEach(e -> out.add(new Claim(e.path(), e.prefix())));
            return List.copyOf(out);
        }

        /** Adds every route of {@code other} to this table (same rules as adding them one by one). */
        public Builder addAll(Builder other) {
            other.exact.forEach((path, byMethod) -> byMethod.forEach((m, h) -> add(exact, m, path, h)));
            other.prefixes.forEach((path, byMethod) -> byMethod.forEach((m, h) -> add(prefixes, m, path, h)));
            other.webSockets.forEach(this::webSocket);
            return this;
        }

        private Builder add(Map<String, Map<String, Object>> table, String method, String path, Object handler) {
            Objects.requireNonNull(method, "method");
            if (method.isBlank()) throw new IllegalArgumentException("method must not be blank");
            checkPath(path);
            Objects.requireNonNull(handler, "handler");
            String m = method.toUpperCase(Locale.ROOT);
            if (table.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(m, handler) != null) {
                throw new IllegalArgumentException("a route is already registered for " + m + " " + path);
            }
            return this;
        }
    }
}
