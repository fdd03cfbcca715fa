package io.agentwire.transport;

import io.agentwire.core.DisconnectReason;
import io.agentwire.core.FatalErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pipeline stage of a WebSocket connection ({@code ws}): Netty's RFC 6455 frame decoder, extended with
 * what the endpoint does with each frame, and the encoder of the control frames the server writes (Netty's
 * {@link WebSocket13FrameEncoder}, one shared instance called directly; data frames arrive encoded,
 * {@link WsFrame}). For each frame it stamps liveness, answers pings, runs the closing handshake (as
 * {@link WsControlHandler} does), checks the UTF-8 of text and calls the endpoint's {@link WsHandler} (onOpen,
 * one onText or onBinary per complete message, onClose exactly once when the channel goes inactive); errors become
 * close codes (1009 too big, 1007 bad UTF-8, 1002 protocol, 1011 internal), writability goes to the writer.
 *
 * <p>Decoder, encoder and endpoint in one stage: an idle connection holds one handler and one pipeline context
 * where Netty's handshaker leaves three of each ({@code wsdecoder}, {@code wsencoder} and the endpoint).
 *
 * <p>The first fragmented message adds, after this stage and for the rest of the connection, {@code ws-utf8},
 * {@code ws-control}, {@code ws-aggregator} (messages ≤ the frame limit) and {@code ws-endpoint}, which hands the
 * whole messages back here; from then on this stage only decodes and passes the frames on.
 */
final class WsEndpointHandler extends WebSocket13FrameDecoder implements WebSocketFrameEncoder {
    private static final Logger log = LoggerFactory.getLogger(WsEndpointHandler.class);

    /** Netty's frame encoder without masking (server to client); stateless, so one serves every connection. */
    private static final ControlEncoder ENCODER = new ControlEncoder();

    private static final int STAGES_ADDED = -1;

    private final ChannelWsConnection connection;
    private final WsHandler handler;
    /** The message limit of the fragment stages, until the first fragment adds them; then {@link #STAGES_ADDED}. */
    private int fragmentLimit;
    private boolean opened;
    private boolean closeNotified;

    /**
     * Frames as {@code config} says (the handshaker's decoder configuration,
     * {@link PipelineInitializer#decoderConfig}); the fragment stages, when added, take messages of up to
     * {@code maxMessageBytes}.
     */
    WsEndpointHandler(ChannelWsConnection connection, WsHandler handler, WebSocketDecoderConfig config,
                      int maxMessageBytes) {
        super(config);
        this.connection = connection;
        this.handler = handler;
        this.fragmentLimit = maxMessageBytes;
    }

    ChannelWsConnection connection() {
        return connection;
    }

    /** Event loop, right after the handshake response was written: the connection is open. */
    void open() {
        opened = true;
        call("onOpen", () -> handler.onOpen(connection));
    }

    /** One frame from the socket: handled here, or (fragment stages present, or the first fragment) passed on. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decode(ctx, in, out); // at most one frame per call; the decoder's loop calls again while bytes remain
        if (fragmentLimit == STAGES_ADDED || out.isEmpty()) return;
        WebSocketFrame frame = (WebSocketFrame) out.get(0);
        if (frame instanceof ContinuationWebSocketFrame || !frame.isFinalFragment()) {
            addFragmentStages(ctx); // and the frame goes on to the first of them
            return;
        }
        out.clear();
        if (WsControlHandler.control(connection, frame)) return;
        if (frame instanceof TextWebSocketFrame text && !ByteBufUtil.isText(text.content(), StandardCharsets.UTF_8)) {
            text.release();
            failed(ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
                    "bytes are not UTF-8"));
            return;
        }
        deliver(ctx, frame);
    }

    /** A whole data message: to the endpoint's handler. */
    private void deliver(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame text) {
            String s;
            try {
                s = text.text();
            } finally {
                text.release();
            }
            call("onText", () -> handler.onText(connection, s));
        } else if (msg instanceof BinaryWebSocketFrame binary) {
            byte[] bytes;
            try {
                bytes = ByteBufUtil.getBytes(binary.content());
            } finally {
                binary.release();
            }
            call("onBinary", () -> handler.onBinary(connection, bytes));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** Adds the fragment stages after this one, for the rest of the connection. */
    private void addFragmentStages(ChannelHandlerContext ctx) {
        int limit = fragmentLimit;
        fragmentLimit = STAGES_ADDED;
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(ctx.name(), "ws-endpoint", new Messages());
        p.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(limit));
        p.addAfter(ctx.name(), "ws-control", new WsControlHandler(connection));
        p.addAfter(ctx.name(), "ws-utf8", new Utf8FrameValidator(false));
    }

    /** The last of the fragment stages: whole messages and the stages' errors back to the endpoint. */
    private final class Messages extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            deliver(ctx, msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(ctx, cause);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        connection.writer().writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx); // decodes what is left, then tells the stages after this one
        ChannelWsConnection.CloseStatus status = connection.closed();
        if (opened && !closeNotified) {
            closeNotified = true;
            try {
                handler.onClose(connection, status.code(), status.reason());
            } catch (RuntimeException e) {
                log.error("ws {}: onClose failed", connection.id(), e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(ctx, cause);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        FatalErrors.check(cause, "a WebSocket connection's pipeline");
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            WebSocketCloseStatus status = corrupt.closeStatus();
            log.debug("ws {}: {}", connection.id(), cause.getMessage());
            if (status.code() == DisconnectReason.MESSAGE_TOO_BIG.closeCode()) {
                connection.close(DisconnectReason.MESSAGE_TOO_BIG);
            } else if (status.code() == WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code()) {
                connection.close(status.code(), "invalid UTF-8 in text message");
            } else {
                connection.close(DisconnectReason.PROTOCOL_ERROR);
            }
        } else if (cause instanceof TooLongFrameException) {
            log.debug("ws {}: {}", connection.id(), cause.getMessage());
            connection.close(DisconnectReason.MESSAGE_TOO_BIG);
        } else if (cause instanceof IOException) {
            log.debug("ws {}: {}", connection.id(), cause.toString());
            ctx.close();
        } else {
            log.warn("ws {} failed", connection.id(), cause);
            connection.close(DisconnectReason.INTERNAL_ERROR);
        }
    }

    private void call(String callback, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("ws {}: {} failed", connection.id(), callback, e);
            connection.close(DisconnectReason.INTERNAL_ERROR);
        }
    }

    /*
     * Outbound: frame objects written through the channel (pings, pongs, close frames) are encoded here; bytes (the
     * writer's encoded data frames, written from this stage's context) pass on.
     */

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.write(msg, promise);
            return;
        }
        List<Object> encoded = new ArrayList<>(2);
        try {
            ENCODER.encode(ctx, frame, encoded);
        } catch (Throwable t) {
            encoded.forEach(ReferenceCountUtil::release);
            promise.setFailure(t);
            return;
        } finally {
            frame.release();
        }
        // a header and, for a large payload, the payload itself: the promise completes with the last one
        for (int i = 0, last = encoded.size() - 1; i <= last; i++) {
            if (i < last) ctx.write(encoded.get(i)); else ctx.write(encoded.get(i), promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
                        ChannelPromise promise) {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    /** {@link WebSocket13FrameEncoder#encode} made callable: not in any pipeline, it keeps no state. */
    private static final class ControlEncoder extends WebSocket13FrameEncoder {
        ControlEncoder() {
            super(false);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, WebSocketFrame msg, List<Object> out) throws Exception {
            super.encode(ctx, msg, out);
        }
    }
}
