package io.agentwire.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * The table of contents of the network pipeline (style rule 2). Every connection starts as HTTP:
 *
 * <pre>
 *  socket ─▶ (admission)      ConnectionGuard: more than maxConnections open: 503 and close, no pipeline
 *         ─▶ http-decoder     HttpDecoder: bytes → HTTP messages; smuggling framing (Content-Length with
 *                             Transfer-Encoding, codings other than chunked) fails the request (→ 400, close);
 *                             records the request's phase for the guard's idle / header / body timeouts (408)
 *         ─▶ http-encoder     HttpResponseEncoder: HTTP responses → bytes
 *         ─▶ http-aggregator  HttpBodyLimit: a route's HeadCheck sees the head first (may refuse it); then one
 *                             FullHttpRequest, body ≤ maxHttpBodyBytes, else 413 JSON
 *         ─▶ router           HttpRouter: routes (404/405/500 JSON, keep-alive, replies in request order)
 *                             or, for an upgrade to a WebSocket endpoint, WebSocketUpgrade (authenticate: 401
 *                             JSON, or handshake) followed by {@link #switchFromHttp}
 * </pre>
 *
 * After a WebSocket handshake ({@link #switchFromHttp}: the 101 is written unflushed and leaves with the connection's
 * first frames; before version 13, Netty's handshaker swaps the HTTP stages for its {@code wsdecoder} and
 * {@code wsencoder}, which {@link #switchToWebSocket} replaces) the HTTP stages and the router make room for one
 * stage:
 *
 * <pre>
 *  socket ─▶ ws   WsEndpointHandler: Netty's WebSocket 13 frame decoder ({@link #decoderConfig}: frame payload
 *                 ≤ maxFrameBytes, else close 1009) and the encoder of control frames; liveness stamp, ping → pong,
 *                 the closing handshake (WsControlHandler's work), text must be UTF-8 (else close 1007); the
 *                 endpoint's WsHandler callbacks, errors → close codes, writability → the connection's
 *                 ConnectionWriter (bounded queue, one flush per batch; data frames arrive encoded, WsFrame)
 * </pre>
 *
 * The first fragmented message puts the fragment stages after ws, for the rest of the connection:
 *
 * <pre>
 *         ─▶ ws-utf8       Utf8FrameValidator: text must be UTF-8 across fragments, else close 1007
 *         ─▶ ws-control    WsControlHandler: liveness stamp, ping → pong, the closing handshake
 *         ─▶ ws-aggregator WebSocketFrameAggregator: one message, ≤ maxFrameBytes, else close 1009
 *         ─▶ ws-endpoint   whole messages (and the stages' errors) back to ws's endpoint
 * </pre>
 *
 * An idle connection holds one stage and one context for its WebSocket.
 */
final class PipelineInitializer extends ChannelInitializer<Channel> {
    /** Outbound bytes pending in the channel above which it turns unwritable and the writer pauses. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final ServerConfig config;
    private final Routes routes;
    private final ChannelGroup channels;
    private final ConnectionGuard guard;

    PipelineInitializer(ServerConfig config, Routes routes, ChannelGroup channels) {
        this(config, routes, channels, new ConnectionGuard(config.limits()));
    }

    PipelineInitializer(ServerConfig config, Routes routes, ChannelGroup channels, ConnectionGuard guard) {
        this.config = config;
        this.routes = routes;
        this.channels = channels;
        this.guard = guard;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!guard.admit(ch, channels.size())) return;
        channels.add(ch);
        ch.pipeline()
                .addLast("http-decoder", new HttpDecoder(guard.speakingHttp()))
                .addLast("http-encoder", new HttpResponseEncoder())
                .addLast("http-aggregator", new HttpBodyLimit(config.maxHttpBodyBytes(), routes))
                .addLast("router", new HttpRouter(routes, config, guard));
    }

    /** How the WebSocket stage reads frames; violations are closed by its endpoint, not by Netty's decoder. */
    static WebSocketDecoderConfig decoderConfig(int maxFrameBytes) {
        WebSocketDecoderConfig last = lastDecoderConfig;
        if (last != null && last.maxFramePayloadLength() == maxFrameBytes) return last; // one shared, not one each
        last = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrameBytes)
                .expectMaskedFrames(true)
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                .withUTF8Validator(false)
                .build();
        lastDecoderConfig = last;
        return last;
    }

    private static volatile WebSocketDecoderConfig lastDecoderConfig;

    /**
     * Replaces the HTTP stages and the router with the one WebSocket stage, {@code ws}, which opens the connection
     * ({@link WsEndpointHandler#open()}), once the handshake's response has been written (encoded by http-encoder,
     * not yet flushed: WebSocketUpgrade). Bytes the HTTP decoder still held reach the new stage (Netty forwards a
     * replaced decoder's leftovers to its replacement).
     */
    static WsEndpointHandler switchFromHttp(ChannelPipeline p, ChannelWsConnection connection, WsHandler handler,
                                            int maxFrameBytes) {
        WsEndpointHandler ws = new WsEndpointHandler(connection, handler, decoderConfig(maxFrameBytes), maxFrameBytes);
        p.remove("http-aggregator");
        p.remove("http-encoder");
        p.replace("http-decoder", "ws", ws);
        p.remove("router");
        return ws;
    }

    /**
     * After Netty's own handshake (WebSocket versions before 13): replaces its {@code wsdecoder} and {@code wsencoder}
     * and the router with the one WebSocket stage, as {@link #switchFromHttp} does.
     */
    static WsEndpointHandler switchToWebSocket(ChannelPipeline p, ChannelWsConnection connection, WsHandler handler,
                                               int maxFrameBytes) {
        WsEndpointHandler ws = new WsEndpointHandler(connection, handler, decoderConfig(maxFrameBytes), maxFrameBytes);
        p.remove("wsencoder");
        p.replace("wsdecoder", "ws", ws);
        p.remove("router");
        return ws;
    }
}
