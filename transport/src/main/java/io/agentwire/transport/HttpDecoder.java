package io.agentwire.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Netty's request decoder with two additions, both without a timer or buffer of its own:
 * <ul>
 * <li>Framing that RFC 9112 § 6.1 forbids is refused (the request's decoder result fails, the router answers 400
 *     and closes): {@code Content-Length} together with {@code Transfer-Encoding}, and any transfer coding but a
 *     lone {@code chunked} (e.g. {@code chunked, identity}) — the request-smuggling shapes.</li>
 * <li>It records where the connection is in its current request — waiting for one, reading its head, reading its
 *     body — since when, and how many read requests still wait for their reply; {@link ConnectionGuard}'s sweep
 *     reads this to apply {@link HttpLimits}' idle, header and body timeouts.</li>
 * </ul>
 * Gone after a WebSocket upgrade (the handshaker replaces it), so WebSockets are left to their heartbeats.
 */
final class HttpDecoder extends HttpRequestDecoder {
    private enum Phase { IDLE, HEAD, BODY }

    /** Where the listener's timeout sweep finds the connections that still speak HTTP: this one while it does. */
    private final Set<Channel> speakingHttp;
    private volatile Phase phase = Phase.IDLE;
    private volatile long since = System.nanoTime();
    /** Requests read completely minus replies written (a reply written early, e.g. 413, counts before its body ends). */
    private volatile int unanswered;
    private boolean lengthWithChunked;

    HttpDecoder(Set<Channel> speakingHttp) {
        this.speakingHttp = speakingHttp;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        speakingHttp.add(ctx.channel());
        super.handlerAdded(ctx);
    }

    /** Removed: the connection became a WebSocket (the handshake swaps the HTTP stages out) or closed. */
    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        speakingHttp.remove(ctx.channel());
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) enter(Phase.HEAD);
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpRequest request) {
                refuseSmuggling(request);
                enter(Phase.BODY);
            }
            if (o instanceof LastHttpContent) {
                unanswered++;
                enter(Phase.IDLE);
            }
        }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        lengthWithChunked = true; // Netty would drop Content-Length and go on; RFC 9112 lets us refuse
        super.handleTransferEncodingChunkedWithContentLength(message);
    }

    private void refuseSmuggling(HttpRequest request) {
        String problem = null;
        if (lengthWithChunked) {
            problem = "Content-Length together with Transfer-Encoding";
        } else {
            List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (!codings.isEmpty()) {
                String all = String.join(",", codings).toLowerCase(Locale.ROOT).replace(" ", "").replace("\t", "");
                if (!all.equals("chunked") || request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    problem = "unsupported Transfer-Encoding '" + String.join(", ", codings) + "' (only chunked)";
                }
            }
        }
        lengthWithChunked = false;
        if (problem != null && request.decoderResult().isSuccess()) {
            request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
        }
    }

    private void enter(Phase p) {
        phase = p;
        since = System.nanoTime();
    }

    /** A reply to one request was written (any thread). */
    void answered() {
        unanswered--;
        since = System.nanoTime();
    }

    /** Tells the decoder of {@code channel}, if it still speaks HTTP, that a reply was written. */
    static void answered(Channel channel) {
        HttpDecoder d = channel.pipeline().get(HttpDecoder.class);
        if (d != null) d.answered();
    }

    /**
     * The sweep's check (any thread): whether {@code limits} ran out for this connection at {@code now}; on the
     * channel's event loop, re-checked there before acting.
     */
    boolean expired(HttpLimits limits, long now) {
        if (unanswered > 0) return false; // a request is being answered (a held long-poll has its heartbeat)
        long limit = switch (phase) {
            case IDLE -> limits.idleTimeout().toNanos();
            case HEAD -> limits.headerTimeout().toNanos();
            case BODY -> limits.bodyTimeout().toNanos();
        };
        return now - since > limit;
    }

    /** Event loop: closes the connection; a request in progress first gets 408. */
    void expire(Channel channel, HttpLimits limits) {
        if (!channel.isActive() || !expired(limits, System.nanoTime())) return;
        Phase p = phase;
        if (p == Phase.IDLE) {
            channel.close();
            return;
        }
        String what = p == Phase.HEAD ? "the request line and headers did not arrive within "
                + limits.headerTimeout().toMillis() + " ms" : "the request body did not arrive within "
                + limits.bodyTimeout().toMillis() + " ms";
        channel.config().setAutoRead(false);
        channel.writeAndFlush(HttpResponses.response(HttpReply.error(408, "REQUEST_TIMEOUT", what), false,
                HttpVersion.HTTP_1_1)).addListener(ChannelFutureListener.CLOSE);
    }
}
