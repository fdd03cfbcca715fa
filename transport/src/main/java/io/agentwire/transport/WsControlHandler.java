package io.agentwire.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The control frames of one connection: stamps every frame as liveness, answers pings with pongs (dropped, not
 * queued, while the peer is not reading: a ping flood can not grow the outbound buffer), drops pongs, hands close
 * frames to the connection's closing handshake, and drops data frames once a close has started.
 */
final class WsControlHandler extends ChannelInboundHandlerAdapter {
    private final ChannelWsConnection connection;

    WsControlHandler(ChannelWsConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
        } else if (!control(connection, frame)) {
            ctx.fireChannelRead(frame);
        }
    }

    /**
     * Stamps {@code frame} as liveness and handles it if it is a control frame, or a data frame after a close
     * started (dropped); returns whether it was consumed ({@code false}: a data frame for the next stage).
     */
    static boolean control(ChannelWsConnection connection, WebSocketFrame frame) {
        connection.touch();
        switch (frame) {
            case PingWebSocketFrame ping -> {
                connection.pong(ping.content());
                ping.release();
            }
            case PongWebSocketFrame pong -> pong.release();
            case CloseWebSocketFrame close -> {
                int code = close.statusCode();
                String reason = close.reasonText();
                close.release();
                connection.peerClosed(code, reason);
            }
            default -> {
                if (!connection.isClosing()) return false;
                frame.release();
            }
        }
        return true;
    }
}
