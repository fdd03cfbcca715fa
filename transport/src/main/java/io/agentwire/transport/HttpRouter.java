package io.agentwire.transport;

import io.agentwire.core.ErrorCode;
import io.agentwire.core.FatalErrors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers HTTP requests from {@link Routes} and hands WebSocket upgrades to {@link WebSocketUpgrade}. Replies are
 * written in request order even when handlers complete out of order (pipelining), and the connection stops
 * reading while a reply is pending, so a client that does not read its responses is not read either.
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** Paths under it are the HTTP API, whose requests {@link HttpLimits#apiPerSecond()} limits per client. */
    static final String API_PREFIX = "/api/";

    private final Routes routes;
    private final ServerConfig config;
    private final ConnectionGuard guard;
    /** Completes when the previous reply has been handed to the channel; event loop only. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    private int inFlight;

    HttpRouter(Routes routes, ServerConfig config, ConnectionGuard guard) {
        this.routes = routes;
        this.config = config;
        this.guard = guard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        QueryStringDecoder uri;
        try {
            if (req.decoderResult().isFailure()) {
                Throwable cause = req.decoderResult().cause();
                throw new IllegalArgumentException(cause instanceof IllegalArgumentException && cause.getMessage() != null
                        ? cause.getMessage() : "malformed HTTP request");
            }
            uri = new QueryStringDecoder(req.uri());
            uri.parameters();
        } catch (IllegalArgumentException e) {
            HttpResponses.writeAndClose(ctx, 400, "BAD_REQUEST", "the request could not be read: " + e.getMessage());
            return;
        }
        if (isUpgrade(req)) {
            Optional<WebSocketEndpoint> endpoint = routes.webSocket(uri.path());
            if (endpoint.isPresent()) {
                if (inFlight > 0) {
                    HttpResponses.writeAndClose(ctx, 400, "BAD_REQUEST", "upgrade while replies are pending");
                } else {
                    WebSocketUpgrade.upgrade(ctx, req, uri, endpoint.get(), config, guard);
                }
                return;
            }
        }
        HttpRequestData data = HttpRequests.data(req, uri, ctx.channel());
        ChannelExchange exchange = new ChannelExchange(ctx.channel());
        reply(ctx, data, exchange, dispatch(data, exchange), HttpUtil.isKeepAlive(req), req.protocolVersion());
        if (exchange.held() && inFlight == 1) ctx.channel().config().setAutoRead(true); // to see a hang-up
    }

    private CompletableFuture<HttpReply> dispatch(HttpRequestData data, ChannelExchange exchange) {
        if (data.path().startsWith(API_PREFIX)) {
            HttpReply limited = guard.checkApi(data.remoteAddress());
            if (limited != null) return CompletableFuture.completedFuture(limited);
        }
        return switch (routes.http(data.method(), data.path())) {
            case Routes.Found found -> invoke(found.handler(), data);
            case Routes.FoundExchange found -> invoke(r -> found.handler().handle(r, exchange), data);
            case Routes.MethodNotAllowed m -> CompletableFuture.completedFuture(HttpReply.error(405,
                    "METHOD_NOT_ALLOWED", data.method() + " is not allowed on " + data.path())
                    .withHeader("allow", m.allow()));
            case Routes.NotFound n -> CompletableFuture.completedFuture(routes.webSocket(data.path()).isPresent()
                    ? HttpReply.error(426, "UPGRADE_REQUIRED", data.path() + " is a WebSocket endpoint")
                            .withHeader("upgrade", "websocket")
                    : HttpReply.error(404, "NOT_FOUND", "no route for " + data.method() + " " + data.path()));
        };
    }

    private static CompletableFuture<HttpReply> invoke(HttpHandler handler, HttpRequestData data) {
        try {
            CompletableFuture<HttpReply> reply = handler.handle(data);
            return reply != null ? reply : CompletableFuture.failedFuture(new NullPointerException("null reply"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void reply(ChannelHandlerContext ctx, HttpRequestData data, ChannelExchange exchange,
                       CompletableFuture<HttpReply> reply, boolean keepAlive, HttpVersion version) {
        inFlight++;
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<HttpReply> safe = reply.handle((r, e) -> {
            if (e == null && r != null) return r;
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            FatalErrors.check(cause, "the HTTP handler of " + data.path());
            log.error("HTTP handler for {} {} failed", data.method(), data.path(), cause);
            return HttpReply.error(500, ErrorCode.INTERNAL_ERROR.name(), ErrorCode.INTERNAL_ERROR.defaultMessage());
        });
        boolean head = "HEAD".equals(data.method());
        previous = previous.thenCompose(v -> safe).thenAcceptAsync(r ->
                HttpResponses.write(ctx, head ? r.withoutBody() : r, keepAlive, version).addListener(f -> {
                    exchange.replied();
                    HttpDecoder.answered(ctx.channel());
                    if (--inFlight == 0 && f.isSuccess()) ctx.channel().config().setAutoRead(true);
                }), ctx.executor());
    }

    /** The {@link HttpExchange} of one request on a channel: close callbacks until its reply is written. */
    private static final class ChannelExchange implements HttpExchange {
        private final Channel channel;
        private boolean held;
        private boolean replied;

        ChannelExchange(Channel channel) {
            this.channel = channel;
        }

        @Override
        public ScheduledExecutorService executor() {
            return channel.eventLoop();
        }

        @Override
        public void onClosed(Runnable callback) {
            held = true;
            channel.closeFuture().addListener(f -> {
                if (!replied) callback.run();
            });
        }

        @Override
        public boolean isOpen() {
            return channel.isActive();
        }

        @Override
        public Object connection() {
            return channel;
        }

        boolean held() {
            return held;
        }

        void replied() {
            replied = true;
        }
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FatalErrors.check(cause, "an HTTP connection's pipeline");
        if (cause instanceof IOException) {
            log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
