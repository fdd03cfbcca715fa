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

/** Turns a Netty request into the transport's plain records. */
final class HttpRequests {

    private HttpRequests() { }

    static HttpRequestData data(FullHttpRequest req, QueryStringDecoder uri, Channel channel) {
        return new HttpRequestData(req.method().name(), uri.path(), uri.parameters(), headers(req),
                ByteBufUtil.getBytes(req.content()), remoteAddress(channel));
    }

    static Authenticator.Request authRequest(FullHttpRequest req, QueryStringDecoder uri, Channel channel) {
        return new Authenticator.Request(uri.path(), headers(req), uri.parameters(), remoteAddress(channel));
    }

    /** Header names in lower case, each with its values in the order received. */
    static Map<String, List<String>> headers(FullHttpRequest req) {
        Map<String, List<String>> out = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            out.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
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
