package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns a Netty request into the transport's plain records. */
final class HttpRequests {

    private HttpRequests() { }

    static HttpRequestData data(FullHttpRequest req, QueryStringDecoder uri, Channel channel) {
        return new HttpRequestData(req.method().name(), uri.path(), uri.parameters(), headers(req),
                ByteBufUtil.getBytes(req.content()), remoteAddress(channel));
    }

    static Authenticator.Request authRequest(FullHttpRequest req, QueryStringDecoder uri, Channel channel) {
        return new Authenticator.Request(path(uri), headers(req), immutable(uri.parameters()),
                recent(remoteAddress(channel)));
    }

    /** The request's path, the same instance as the last request's when equal (a WebSocket keeps it). */
    static String path(QueryStringDecoder uri) {
        return recent(uri.path());
    }

    /*
     * A WebSocket's Request lives as long as the connection, so it holds no more than it must: one shared instance
     * of every common header name and query parameter name instead of a copy per connection, one instance of a value
     * that other requests had too (the host, the origin, the user agent, the client's address: {@link #recent}), and
     * the pairs in one array (Authenticator.Request).
     */
    private static final Map<String, String> KNOWN_NAMES = Stream.of("host", "connection", "upgrade", "origin",
                    "user-agent", "accept", "accept-encoding", "accept-language", "cache-control", "pragma", "cookie",
                    "authorization", "content-type", "content-length", "sec-websocket-version",
                    "sec-websocket-extensions", "sec-websocket-protocol", "x-forwarded-for", "x-forwarded-proto",
                    "x-real-ip", "referer", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n));
    private static final Map<String, String> KNOWN_PARAMETERS = Stream.of("EIO", "transport", "sid", "t", "b64", "j",
                    "token", "last_seq", "session_id")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n));
    /** The values every WebSocket / Engine.IO handshake repeats, shared the same way. */
    private static final Map<String, String> KNOWN_VALUES = Stream.of("websocket", "Upgrade", "upgrade", "13", "4",
                    "keep-alive", "polling", "no-cache", "gzip, deflate", "gzip, deflate, br")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n));

    private static final int RECENT_SLOTS = 512;
    private static final int RECENT_MAX_LENGTH = 1024;
    /** Values of recent requests by hash; a value is shared with the one in its slot when equal. Races only miss. */
    private static final AtomicReferenceArray<String> RECENT = new AtomicReferenceArray<>(RECENT_SLOTS);

    private static String shared(String value) {
        String known = KNOWN_VALUES.get(value);
        return known != null ? known : recent(value);
    }

    /** {@code value}, or an equal instance that an earlier request kept; remembers it for the next ones. */
    static String recent(String value) {
        if (value.length() > RECENT_MAX_LENGTH) return value;
        int slot = Math.floorMod(value.hashCode() * 0x9E3779B9, RECENT_SLOTS);
        String seen = RECENT.get(slot);
        if (value.equals(seen)) return seen;
        RECENT.lazySet(slot, value);
        return value;
    }

    private static Map<String, List<String>> immutable(Map<String, List<String>> params) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(KNOWN_PARAMETERS.getOrDefault(k, k),
                v.size() == 1 ? List.of(shared(v.get(0))) : v));
        return out;
    }

    /**
     * Header names in lower case, each with its values in the order received; without a WebSocket handshake's
     * {@code sec-websocket-key}: a one-time value that Netty's handshaker reads from the request itself and that
     * means nothing after it, while a WebSocket's request lives as long as the connection (a string of its own each).
     */
    static Map<String, List<String>> headers(FullHttpRequest req) {
        Map<String, List<String>> out = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("sec-websocket-key")) continue;
            String value = shared(h.getValue());
            out.computeIfAbsent(KNOWN_NAMES.getOrDefault(name, name), k -> new ArrayList<>(1)).add(value);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    /** The peer's IP address (no port). */
    static String remoteAddress(Channel channel) {
        SocketAddress a = channel.remoteAddress();
        if (a instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(a);
    }
}
