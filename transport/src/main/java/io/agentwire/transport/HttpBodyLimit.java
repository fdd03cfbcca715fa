package io.agentwire.transport;

import io.agentwire.core.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's HttpObjectAggregator with the transport's JSON 413 (also as the answer to {@code Expect: 100-continue}).
 * Like Netty's own: the connection stays open (the rest of the body is read and dropped) when the client may send
 * another request, else it is closed.
 */
final class HttpBodyLimit extends HttpObjectAggregator {

    HttpBodyLimit(int maxBodyBytes) {
        super(maxBodyBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean keepAlive = !(oversized instanceof FullHttpMessage)
                && (HttpUtil.is100ContinueExpected(request) || HttpUtil.isKeepAlive(request));
        HttpResponses.write(ctx, tooLarge(), keepAlive, request.protocolVersion());
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
