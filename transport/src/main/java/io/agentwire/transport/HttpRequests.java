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
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        return new Authenticator.Request(uri.path(), headers(req), immutable(uri.parameters()), remoteAddress(channel));
    }

    /*
     * A WebSocket's Request lives as long as the connection, so it holds no more than it must: one shared instance
     * of every common header name instead of a lower-cased copy per connection, and immutable value lists instead of
     * the decoder's ArrayLists (an ArrayList with 10 slots per parameter).
     */
    private static final Map<String, String> KNOWN_NAMES = Stream.of("host", "connection", "upgrade", "origin",
                    "user-agent", "accept", "accept-encoding", "accept-language", "cache-control", "pragma", "cookie",
                    "authorization", "content-type", "content-length", "sec-websocket-key", "sec-websocket-version",
                    "sec-websocket-extensions", "sec-websocket-protocol", "x-forwarded-for", "x-forwarded-proto",
                    "x-real-ip", "referer", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n));
    /** The values every WebSocket / Engine.IO handshake repeats, shared the same way. */
    private static final Map<String, String> KNOWN_VALUES = Stream.of("websocket", "Upgrade", "upgrade", "13", "4",
                    "keep-alive", "polling", "no-cache", "gzip, deflate", "gzip, deflate, br")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n));

    private static String shared(String value) {
        return KNOWN_VALUES.getOrDefault(value, value);
    }

    private static Map<String, List<String>> immutable(Map<String, List<String>> params) {
        Map<String, List<String>> out = new HashMap<>(params);
        out.replaceAll((k, v) -> v.size() == 1 ? List.of(shared(v.get(0))) : List.copyOf(v));
        return Map.copyOf(out);
    }

    /** Header names in lower case, each with its values in the order received. */
    static Map<String, List<String>> headers(FullHttpRequest req) {
        Map<String, List<String>> out = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            out.computeIfAbsent(KNOWN_NAMES.getOrDefault(name, name), k -> new ArrayList<>()).add(shared(h.getValue()));
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
