package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upgrade request to a WebSocket endpoint: its upgrade check may refuse it (the check's reply), then authenticate it (rejected: 401 JSON, no upgrade), then do the
 * handshake, switch the pipeline to the WebSocket stages and open the connection.
 */
final class WebSocketUpgrade {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    private WebSocketUpgrade() { }

    /**
     * Netty's RFC 6455 (version 13) handshaker, whose response the upgrade writes itself without a flush
     * ({@code newHandshakeResponse}: the accept key, the subprotocol); Netty's own {@code handshake} flushes it at
     * once, so the 101 and the protocol's first packet would be two sends.
     */
    private static final class Handshaker13 extends WebSocketServerHandshaker13 {
        Handshaker13(String url, WebSocketDecoderConfig config) {
            super(url, null, config);
        }

        FullHttpResponse response(FullHttpRequest req) {
            return newHandshakeResponse(req, null);
        }
    }

    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri,
                        WebSocketEndpoint endpoint, ServerConfig config, ConnectionGuard guard) {
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, config.host()) + req.uri();
        int frameLimit = endpoint.frameLimit(config.maxFrameBytes());
        WebSocketDecoderConfig decoderConfig = PipelineInitializer.decoderConfig(frameLimit);
        WebSocketServerHandshaker handshaker = "13".equals(req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                ? new Handshaker13(url, decoderConfig)
                : new WebSocketServerHandshakerFactory(url, null, decoderConfig).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Authenticator.Request request = HttpRequests.authRequest(req, uri, ctx.channel());
        Authenticator.Result result;
        try {
            HttpReply refused = endpoint.upgradeCheck().check(request);
            if (refused != null) {
                HttpResponses.write(ctx, refused.withHeader("connection", "close"), false, req.protocolVersion());
                return;
            }
            result = endpoint.authenticator().authenticate(request);
        } catch (RuntimeException e) {
            log.error("authenticator of {} failed", endpoint.path(), e);
            HttpResponses.writeAndClose(ctx, 500, ErrorCode.INTERNAL_ERROR.name(),
                    ErrorCode.INTERNAL_ERROR.defaultMessage());
            return;
        }
        switch (result) {
            case Authenticator.Rejected rejected -> {
                ErrorCode code = rejected.code() != null ? rejected.code() : ErrorCode.AUTH_FAILED;
                String message = rejected.message() != null ? rejected.message() : code.defaultMessage();
                HttpResponses.write(ctx, HttpReply.error(401, code.name(), message),
                        HttpUtil.isKeepAlive(req), req.protocolVersion())
                        .addListener(f -> HttpDecoder.answered(ctx.channel()));
            }
            case Authenticator.Accepted accepted when !guard.acquire(accepted.principal(), ctx.channel()) -> {
                log.info("refused a WebSocket to {} from {}: {} has {} connections, the limit", endpoint.path(),
                        request.remoteAddress(), accepted.principal().id(), guard.limits().maxConnectionsPerPrincipal());
                HttpResponses.write(ctx, HttpReply.error(429, "TOO_MANY_CONNECTIONS", "more than "
                        + guard.limits().maxConnectionsPerPrincipal() + " connections of one user")
                        .withHeader("retry-after", "1"), HttpUtil.isKeepAlive(req), req.protocolVersion())
                        .addListener(f -> HttpDecoder.answered(ctx.channel()));
            }
            case Authenticator.Accepted accepted when handshaker instanceof Handshaker13 h13 -> {
                FullHttpResponse response;
                try {
                    response = h13.response(req);
                } catch (WebSocketHandshakeException e) {
                    HttpResponses.writeAndClose(ctx, 400, "BAD_REQUEST", e.getMessage());
                    return;
                }
                // the 101 is encoded now and leaves with the connection's first flush: its writer's first drain,
                // which also carries what the endpoint sends on open (Engine.IO's open packet: one send, not two)
                ctx.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                ChannelWsConnection connection = new ChannelWsConnection(ctx.channel(), accepted.principal(),
                        request, config.writer());
                WsEndpointHandler ws = PipelineInitializer.switchFromHttp(ctx.pipeline(), connection,
                        endpoint.handler(), frameLimit);
                connection.writer().flushOnDrain();
                ws.open();
            }
            case Authenticator.Accepted accepted -> { // a version before 13 (00, 07, 08): Netty's own handshake
                try {
                    handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                } catch (WebSocketHandshakeException e) {
                    HttpResponses.writeAndClose(ctx, 400, "BAD_REQUEST", e.getMessage());
                    return;
                }
                ChannelWsConnection connection = new ChannelWsConnection(ctx.channel(), accepted.principal(),
                        request, config.writer());
                PipelineInitializer.switchToWebSocket(ctx.pipeline(), connection, endpoint.handler(),
                        frameLimit).open();
            }
        }
    }
}
