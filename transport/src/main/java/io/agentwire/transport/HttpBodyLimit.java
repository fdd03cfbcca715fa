package io.agentwire.transport;

import io.agentwire.core.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Netty's HttpObjectAggregator with the transport's JSON 413 (also as the answer to {@code Expect: 100-continue}).
 * Like Netty's own: the connection stays open (the rest of the body is read and dropped) when the client may send
 * another request, else it is closed. Before aggregating, a route's {@link HeadCheck} sees the request's head and
 * may refuse it (its reply, then close) while its body has not even started to arrive.
 */
final class HttpBodyLimit extends HttpObjectAggregator {
    private final Routes routes;

    HttpBodyLimit(int maxBodyBytes, Routes routes) {
        super(maxBodyBytes);
        this.routes = routes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpMessage)
                && request.decoderResult().isSuccess() && refusedAtHead(ctx, request)) {
            return; // the body that follows finds no message to join and is dropped; the connection closes
        }
        super.decode(ctx, msg, out);
    }

    private boolean refusedAtHead(ChannelHandlerContext ctx, HttpRequest request) {
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(request.uri());
            HeadCheck check = routes.headCheck(uri.path());
            if (check == null) return false;
            HttpReply refused = check.check(request.method().name(), uri.parameters(), new Connection(ctx));
            if (refused == null) return false;
            ctx.channel().config().setAutoRead(false);
            HttpResponses.write(ctx, refused, false, request.protocolVersion());
            return true;
        } catch (IllegalArgumentException e) {
            return false; // the router answers a request it can not read
        }
    }

    /** The connection as a {@link HeadCheck} sees it. */
    private record Connection(ChannelHandlerContext ctx) implements HttpExchange {
        @Override public ScheduledExecutorService executor() { return ctx.channel().eventLoop(); }
        @Override public void onClosed(Runnable callback) { ctx.channel().closeFuture().addListener(f -> callback.run()); }
        @Override public boolean isOpen() { return ctx.channel().isActive(); }
        @Override public Object connection() { return ctx.channel(); }
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean keepAlive = !(oversized instanceof FullHttpMessage)
                && (HttpUtil.is100ContinueExpected(request) || HttpUtil.isKeepAlive(request));
        HttpResponses.write(ctx, tooLarge(), keepAlive, request.protocolVersion())
                .addListener(f -> HttpDecoder.answered(ctx.channel()));
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse full && full.status().code() == 413) {
            full.release();
            return HttpResponses.response(tooLarge(), true, start.protocolVersion());
        }
        return response;
    }

    private HttpReply tooLarge() {
        return HttpReply.error(413, ErrorCode.PAYLOAD_TOO_LARGE.name(),
                "the request body is larger than " + maxContentLength() + " bytes");
    }
}
