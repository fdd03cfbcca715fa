package io.agentwire.transport;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WsConnection} over a Netty channel and the closing handshake's state: {@code closing} is null while the
 * connection is open, set once on the event loop and published for other threads. An open connection keeps only
 * what it needs every day (the close's code, reason and grace timer are made by the close); the path is its
 * request's.
 */
final class ChannelWsConnection implements WsConnection, ConnectionWriter.Overflow {
    private static final Logger log = LoggerFactory.getLogger(ChannelWsConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int NO_STATUS = 1005;
    static final int ABNORMAL = 1006;

    /** The close of a connection that went away without a closing handshake. */
    private static final Closing LOST = new Closing(ABNORMAL, "connection lost");

    private final long idBits = RANDOM.nextLong(); // rendered by id(): an idle connection keeps no id string
    private final Channel channel;
    private final Principal principal;
    private final Authenticator.Request request;
    private final ConnectionWriter writer;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile Closing closing;
    private Object attachment;

    /** A close that started: its code and reason, and (event loop) the timer that ends a handshake left unanswered. */
    private static final class Closing {
        final int code;
        final String reason;
        ScheduledFuture<?> grace;

        Closing(int code, String reason) {
            this.code = code;
            this.reason = reason;
        }
    }

    ChannelWsConnection(Channel channel, Principal principal, Authenticator.Request request, WriterLimits limits) {
        this.channel = channel;
        this.principal = principal;
        this.request = request;
        this.writer = new ConnectionWriter(channel, limits, this);
    }

    @Override public String id() { return "conn_" + HexFormat.of().toHexDigits(idBits); }
    @Override public Object attachment() { return attachment; }
    @Override public void attach(Object attachment) { this.attachment = attachment; }
    @Override public Principal principal() { return principal; }
    @Override public Authenticator.Request request() { return request; }
    @Override public String path() { return request.path(); }
    @Override public ScheduledExecutorService executor() { return channel.eventLoop(); }
    @Override public long lastReadNanos() { return lastReadNanos; }
    @Override public int queuedMessages() { return writer.queuedMessages(); }
    @Override public void whenDrained(int below, Runnable task) { writer.whenDrained(below, task); }
    @Override public boolean isOpen() { return closing == null && channel.isActive(); }

    /*
     * With the transport's pipeline, a data frame is encoded here, header and payload in one pooled direct buffer, and
     * written past the WebSocket encoder (which would allocate that buffer and copy the payload into it).
     */

    @Override
    public boolean send(String text) {
        if (closing != null) return false;
        if (!writer.writesFrames()) return writer.send(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        int n = ByteBufUtil.utf8Bytes(text);
        ByteBuf frame = frame(false, n);
        ByteBufUtil.reserveAndWriteUtf8(frame, text, n);
        return writer.sendFrame(frame);
    }

    @Override
    public boolean send(byte[]... utf8Parts) {
        if (closing != null) return false;
        if (!writer.writesFrames()) return writer.send(Unpooled.wrappedBuffer(utf8Parts));
        int n = 0;
        for (byte[] part : utf8Parts) n += part.length;
        ByteBuf frame = frame(false, n);
        for (byte[] part : utf8Parts) frame.writeBytes(part);
        return writer.sendFrame(frame);
    }

    @Override
    public boolean sendBinary(byte[] data) {
        if (closing != null) return false;
        if (!writer.writesFrames()) return writer.sendBinary(Unpooled.wrappedBuffer(data));
        return writer.sendFrame(frame(true, data.length).writeBytes(data));
    }

    private ByteBuf frame(boolean binary, int payloadLength) {
        ByteBuf frame = channel.alloc().directBuffer(WsFrame.headerLength(payloadLength) + payloadLength);
        WsFrame.writeHeader(frame, binary, payloadLength);
        return frame;
    }

    @Override
    public boolean send(WsFrame frame) {
        return closing == null && writer.sendFrame(frame.forWrite());
    }

    @Override
    public boolean sendPing() {
        if (closing != null || !channel.isActive() || !channel.isWritable()) return false;
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
        return true;
    }

    /**
     * Event loop: answers a ping with {@code payload} (retained here), through the channel so that the frame passes
     * the encoder; dropped, not queued, while closing or while the peer is not reading (a ping flood can not grow
     * the outbound buffer).
     */
    void pong(ByteBuf payload) {
        if (closing == null && channel.isWritable()) channel.writeAndFlush(new PongWebSocketFrame(payload.retain()));
    }

    @Override
    public void close(DisconnectReason reason) {
        close(reason.closeCode(), reason.text());
    }

    /** Starts the server's closing handshake with any close code (e.g. 1007, which has no DisconnectReason). */
    void close(int code, String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            try {
                channel.eventLoop().execute(() -> close(code, reason));
            } catch (RejectedExecutionException e) {
                channel.close();
            }
            return;
        }
        if (closing != null || !channel.isActive()) return;
        begin(code, reason);
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
            } else if (channel instanceof DuplexChannel duplex) {
                // nothing may follow a close frame: send FIN, keep reading until the peer answers or hangs up
                // (after a protocol violation its answer can not even be decoded), so no RST destroys our frame
                duplex.shutdownOutput();
            }
        });
        // the socket closes when the peer answers (peerClosed) or hangs up, or when the grace runs out
    }

    /** Event loop: the peer sent a close frame ({@code code} -1: none). Answers it, or ends our handshake. */
    void peerClosed(int code, String reason) {
        if (closing != null) {
            channel.close();
            return;
        }
        begin(code < 0 ? NO_STATUS : code, reason == null ? "" : reason);
        CloseWebSocketFrame echo = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
        channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    /** Event loop: the channel is closed. Returns the final close code and reason, as the handler is told. */
    CloseStatus closed() {
        Closing c = closing;
        if (c == null) closing = c = LOST;
        writer.discard();
        if (c.grace != null) c.grace.cancel(false);
        log.debug("ws {} closed: {} {}", this, c.code, c.reason);
        return new CloseStatus(c.code, c.reason);
    }

    @Override
    public String toString() {
        return id();
    }

    record CloseStatus(int code, String reason) { }

    boolean isClosing() {
        return closing != null;
    }

    void touch() {
        lastReadNanos = System.nanoTime();
    }

    ConnectionWriter writer() {
        return writer;
    }

    private void begin(int code, String reason) {
        Closing c = new Closing(code, reason);
        closing = c;
        writer.discard();
        WriterLimits limits = writer.limits();
        c.grace = channel.eventLoop().schedule(() -> {
            if (channel.isOpen()) {
                log.debug("ws {}: close handshake not done within {}, closing the socket", this, limits.closeGrace());
                channel.close();
            }
        }, limits.closeGrace().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void overflowed(int queuedMessages, long queuedBytes) {
        WriterLimits limits = writer.limits();
        log.warn("ws {} slow consumer: send queue overflow at {} messages / {} bytes (limits {} / {}); closing with {}",
                id(), queuedMessages, queuedBytes, limits.maxQueuedMessages(), limits.maxQueuedBytes(),
                DisconnectReason.SLOW_CONSUMER.closeCode());
        close(DisconnectReason.SLOW_CONSUMER);
    }
}
