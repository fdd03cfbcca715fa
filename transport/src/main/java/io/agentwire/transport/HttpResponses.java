package io.agentwire.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** Writes an {@link HttpReply} as a Netty response, with content-length and the keep-alive decision. */
final class HttpResponses {

    private HttpResponses() { }

    /** Writes and flushes {@code reply}; closes the connection after it unless it stays open. */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive, HttpVersion version) {
        FullHttpResponse res = response(reply, keepAlive, version);
        boolean open = !res.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        ChannelFuture f = ctx.writeAndFlush(res);
        f.addListener(open ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        return f;
    }

    /** A JSON error reply that closes the connection (the request could not be read as HTTP). */
    static ChannelFuture writeAndClose(ChannelHandlerContext ctx, int status, String code, String message) {
        return write(ctx, HttpReply.error(status, code, message), false, HttpVersion.HTTP_1_1);
    }

    /**
     * The Netty response for {@code reply}. It keeps the connection open if the request asked for that and the
     * reply does not say {@code connection: close}; {@code connection} is then absent (HTTP/1.1) or keep-alive.
     */
    static FullHttpResponse response(HttpReply reply, boolean keepAlive, HttpVersion version) {
        FullHttpResponse res = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(reply.status()),
                Unpooled.wrappedBuffer(reply.body()));
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            res.headers().set(h.getKey(), h.getValue());
        }
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        if (!reply.headers().containsKey("content-length")) {
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        }
        if (!keepAlive || res.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!version.isKeepAliveDefault()) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            res.headers().remove(HttpHeaderNames.CONNECTION);
        }
        return res;
    }
}
