package io.agentwire.transport;

import io.agentwire.core.DisconnectReason;
import io.agentwire.core.FatalErrors;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a WebSocket connection: calls the endpoint's {@link WsHandler} (onOpen, one onText or
 * onBinary (with the bytes) per complete message, onClose exactly once when the channel goes inactive), turns errors into close
 * codes (1009 too big, 1007 bad UTF-8, 1002 protocol, 1011 internal), and tells the writer about writability.
 */
final class WsEndpointHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WsEndpointHandler.class);

    private final ChannelWsConnection connection;
    private final WsHandler handler;
    private boolean opened;
    private boolean closeNotified;

    WsEndpointHandler(ChannelWsConnection connection, WsHandler handler) {
        this.connection = connection;
        this.handler = handler;
    }

    /** Event loop, right after the handshake response was written: the connection is open. */
    void open() {
        opened = true;
        call("onOpen", () -> handler.onOpen(connection));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
