package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket stages after the handshake (ws-control, ws-endpoint) on an EmbeddedChannel. */
class WsConnectionTest {
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final RecordingHandler handler = new RecordingHandler(true);
    private EmbeddedChannel channel;
    private ChannelWsConnection connection;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        connection = new ChannelWsConnection(channel, Principal.user("ada"),
                new Authenticator.Request("/ws", Map.of(), Map.of(), "127.0.0.1"), "/ws",
                new WriterLimits(3, 1_000_000, GRACE));
        channel.pipeline().addLast(new WsControlHandler(connection));
        WsEndpointHandler endpoint = new WsEndpointHandler(connection, handler);
        channel.pipeline().addLast(endpoint);
        endpoint.open();
    }

    @Test
    void idLooksLikeConnPlus16Hex() {
        assertThat(connection.id()).matches("conn_[0-9a-f]{16}");
        assertThat(handler.opened).containsExactly(connection);
    }

    @Test
    void textIsEchoedThroughTheWriter() {
        channel.writeInbound(new TextWebSocketFrame("hello"));
        channel.runPendingTasks();
        assertThat(handler.texts).containsExactly("hello");
        assertThat(readText()).isEqualTo("hello");
    }

    @Test
    void partsAreSentAsOneFrame() {
        byte[] shared = "{\"body\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(connection.send("{\"seq\":1,".getBytes(StandardCharsets.UTF_8), shared)).isTrue();
        assertThat(connection.send("{\"seq\":2,".getBytes(StandardCharsets.UTF_8), shared)).isTrue();
        channel.runPendingTasks();
        assertThat(readText()).isEqualTo("{\"seq\":1,{\"body\":1}");
        assertThat(readText()).isEqualTo("{\"seq\":2,{\"body\":1}");
    }

    @Test
    void pingIsAnsweredAndEveryFrameCountsAsLiveness() throws Exception {
        long before = connection.lastReadNanos();
        Thread.sleep(2);
        channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        PongWebSocketFrame pong = channel.readOutbound();
        assertThat(pong.content().readableBytes()).isEqualTo(2);
        pong.release();
        long afterPing = connection.lastReadNanos();
        assertThat(afterPing).isGreaterThan(before);

        Thread.sleep(2);
        channel.writeInbound(new PongWebSocketFrame());
        assertThat(connection.lastReadNanos()).isGreaterThan(afterPing);
        assertThat(handler.texts).isEmpty();
    }

    @Test
    void sendPingWritesAProtocolPingAndThePeersPongCountsAsLiveness() throws Exception {
        assertThat(connection.sendPing()).isTrue();
        channel.runPendingTasks();
        PingWebSocketFrame ping = channel.readOutbound();
        assertThat(ping).isNotNull();
        assertThat(ping.content().readableBytes()).isZero();
        ping.release();
        long before = connection.lastReadNanos();
        Thread.sleep(2);
        channel.writeInbound(new PongWebSocketFrame());
        assertThat(connection.lastReadNanos()).isGreaterThan(before);
        assertThat(handler.texts).isEmpty();

        connection.close(DisconnectReason.NORMAL);
        ((CloseWebSocketFrame) channel.readOutbound()).release();
        assertThat(connection.sendPing()).isFalse(); // none while closing
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void serverCloseSendsTheCodeWaitsForThePeerThenReportsOnce() {
        connection.close(DisconnectReason.HEARTBEAT_TIMEOUT);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.send("late")).isFalse();
        CloseWebSocketFrame sent = channel.readOutbound();
        assertThat(sent.statusCode()).isEqualTo(1001);
        assertThat(sent.reasonText()).isEqualTo("heartbeat timeout");
        sent.release();
        assertThat(channel.isOpen()).isTrue(); // waiting for the peer's close

        channel.writeInbound(new TextWebSocketFrame("after close")); // dropped
        channel.writeInbound(new CloseWebSocketFrame(1001, ""));

        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.texts).isEmpty();
        assertThat(handler.closeCalls.get()).isEqualTo(1);
        assertThat(handler.closed.peek().code()).isEqualTo(1001);
        assertThat(handler.closed.peek().reason()).isEqualTo("heartbeat timeout");
    }

    @Test
    void peerThatNeverAnswersIsClosedAfterTheGrace() {
        connection.close(DisconnectReason.NORMAL);
        ((CloseWebSocketFrame) channel.readOutbound()).release();
        channel.advanceTimeBy(GRACE.toMillis() - 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.closed.peek().code()).isEqualTo(1000);
    }

    @Test
    void peerCloseIsEchoedAndReportedWithThePeersCode() {
        channel.writeInbound(new CloseWebSocketFrame(4100, "bye"));
        CloseWebSocketFrame echo = channel.readOutbound();
        assertThat(echo.statusCode()).isEqualTo(4100);
        echo.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.closed.peek().code()).isEqualTo(4100);
        assertThat(handler.closed.peek().reason()).isEqualTo("bye");
        assertThat(handler.closeCalls.get()).isEqualTo(1);
    }

    @Test
    void dropWithoutHandshakeIs1006Once() {
        channel.close();
        channel.close();
        assertThat(handler.closeCalls.get()).isEqualTo(1);
        assertThat(handler.closed.peek().code()).isEqualTo(1006);
    }

    @Test
    void overflowClosesWithSlowConsumerAndReleasesTheQueue() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < 3; i++) assertThat(connection.send("m" + i)).isTrue();
        assertThat(connection.queuedMessages()).isEqualTo(3);

        assertThat(connection.send("m3")).isFalse();
        channel.runPendingTasks();

        assertThat(connection.queuedMessages()).isZero();
        assertThat(connection.send("m4")).isFalse();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(4008);
        assertThat(close.reasonText()).isEqualTo("slow consumer: send queue overflow");
        close.release();
        assertThat(channel.outboundMessages()).isEmpty(); // no data frame after the close

        channel.advanceTimeBy(GRACE.toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(handler.closed.peek().code()).isEqualTo(4008);
    }

    /** ws-endpoint as the upgrade leaves it: alone after the frame codec, with messages up to 1 000 bytes. */
    private static EmbeddedChannel endpointAlone(RecordingHandler h) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ChannelWsConnection c = new ChannelWsConnection(ch, Principal.user("ada"),
                new Authenticator.Request("/ws", Map.of(), Map.of(), "127.0.0.1"), "/ws",
                new WriterLimits(3, 1_000_000, GRACE));
        WsEndpointHandler endpoint = new WsEndpointHandler(c, h, 1000);
        ch.pipeline().addLast("ws-endpoint", endpoint);
        endpoint.open();
        return ch;
    }

    @Test
    void aloneTheEndpointAnswersControlFramesAndAddsTheFragmentStagesOnTheFirstFragment() {
        RecordingHandler h = new RecordingHandler(false);
        EmbeddedChannel ch = endpointAlone(h);

        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8)));
        PongWebSocketFrame pong = ch.readOutbound();
        assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("p");
        pong.release();
        ch.writeInbound(new TextWebSocketFrame("whole"));
        assertThat(h.texts).containsExactly("whole");
        assertThat(ch.pipeline().names()).startsWith("ws-endpoint");

        ch.writeInbound(new TextWebSocketFrame(false, 0, "frag"));
        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("q", StandardCharsets.UTF_8)));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, "mented"));
        assertThat(h.texts).containsExactly("whole", "fragmented");
        assertThat(ch.pipeline().names()).startsWith("ws-utf8", "ws-control", "ws-aggregator", "ws-endpoint");
        PongWebSocketFrame pong2 = ch.readOutbound();
        assertThat(pong2.content().toString(StandardCharsets.UTF_8)).isEqualTo("q");
        pong2.release();
        ch.writeInbound(new TextWebSocketFrame("after"));
        assertThat(h.texts).containsExactly("whole", "fragmented", "after");
        ch.finishAndReleaseAll();
    }

    @Test
    void aloneTheEndpointClosesInvalidUtf8With1007() {
        RecordingHandler h = new RecordingHandler(false);
        EmbeddedChannel ch = endpointAlone(h);

        ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1007);
        close.release();
        assertThat(h.texts).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void tooLongMessageClosesWith1009() {
        channel.pipeline().fireExceptionCaught(new TooLongFrameException("content length exceeded"));
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1009);
        close.release();
    }

    @Test
    void handlerExceptionClosesWith1011() {
        channel.writeInbound(new TextWebSocketFrame("boom"));
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1011);
        close.release();
    }

    @Test
    void binaryByDefaultClosesWith1003() {
        handler.defaultBinary = true;
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[7])));
        assertThat(handler.binaries).containsExactly(7);
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1003);
        close.release();
    }

    private String readText() {
        TextWebSocketFrame f = channel.readOutbound();
        try {
            return f.text();
        } finally {
            f.release();
        }
    }
}
