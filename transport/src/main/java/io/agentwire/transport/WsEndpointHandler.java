package io.agentwire.transport;

import io.agentwire.core.DisconnectReason;
import io.agentwire.core.FatalErrors;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a WebSocket connection: calls the endpoint's {@link WsHandler} (onOpen, one onText or
 * onBinary (with the bytes) per complete message, onClose exactly once when the channel goes inactive), turns errors into close
 * codes (1009 too big, 1007 bad UTF-8, 1002 protocol, 1011 internal), and tells the writer about writability.
 */
final class WsEndpointHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WsEndpointHandler.class);

    private static final int STAGES_ABSENT = -1;

    private final ChannelWsConnection connection;
    private final WsHandler handler;
    /**
     * The message limit of the fragment stages, added by the first fragment; {@link #STAGES_ABSENT} when they are
     * in the pipeline already (or the pipeline was built with them, as in tests).
     */
    private int fragmentLimit;
    private boolean opened;
    private boolean closeNotified;

    /** With ws-utf8, ws-control and ws-aggregator before it in the pipeline. */
    WsEndpointHandler(ChannelWsConnection connection, WsHandler handler) {
        this(connection, handler, STAGES_ABSENT);
    }

    /**
     * Alone after the frame decoder: it handles control frames and checks the UTF-8 of unfragmented text itself,
     * and adds ws-utf8, ws-control and ws-aggregator (messages ≤ {@code maxMessageBytes}) in front of itself when
     * the first fragmented message arrives. An idle connection holds three pipeline stages fewer.
     */
    WsEndpointHandler(ChannelWsConnection connection, WsHandler handler, int maxMessageBytes) {
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

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (fragmentLimit != STAGES_ABSENT && msg instanceof WebSocketFrame frame && consumedAlone(ctx, frame)) return;
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

    /** Without the fragment stages: what they would do with {@code frame}; true if it goes no further. */
    private boolean consumedAlone(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof ContinuationWebSocketFrame || !frame.isFinalFragment()) {
            addFragmentStages(ctx, frame);
            return true;
        }
        if (WsControlHandler.control(ctx, connection, frame)) return true;
        if (frame instanceof TextWebSocketFrame text && !ByteBufUtil.isText(text.content(), StandardCharsets.UTF_8)) {
            text.release();
            exceptionCaught(ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
                    "bytes are not UTF-8"));
            return true;
        }
        return false;
    }

    /** Adds the fragment stages before this one and hands {@code frame} to the first. */
    private void addFragmentStages(ChannelHandlerContext ctx, WebSocketFrame frame) {
        int limit = fragmentLimit;
        fragmentLimit = STAGES_ABSENT;
        ChannelPipeline p = ctx.pipeline();
        Utf8FrameValidator utf8 = new Utf8FrameValidator(false);
        p.addBefore(ctx.name(), "ws-utf8", utf8);
        p.addBefore(ctx.name(), "ws-control", new WsControlHandler(connection));
        p.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(limit));
        ChannelHandlerContext first = p.context(utf8);
        try {
            utf8.channelRead(first, frame);
        } catch (Exception e) { // as the pipeline does with what a stage throws
            first.fireExceptionCaught(e);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writer().writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ChannelWsConnection.CloseStatus status = connection.closed();
        if (opened && !closeNotified) {
            closeNotified = true;
            try {
                handler.onClose(connection, status.code(), status.reason());
            } catch (RuntimeException e) {
                log.error("ws {}: onClose failed", connection.id(), e);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
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
}
