package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket stage after the handshake ({@code ws}, and the fragment stages it adds) on an EmbeddedChannel, fed
 * and read as a client would: masked frames in, bytes out, through Netty's client-side codec.
 */
class WsConnectionTest {
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int LIMIT = 1000;

    private final RecordingHandler handler = new RecordingHandler(true);
    private EmbeddedChannel channel;
    private ChannelWsConnection connection;
    /** The client's side: its encoder masks what it sends, its decoder reads what the server wrote. */
    private final EmbeddedChannel clientEncoder = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
    private final EmbeddedChannel clientDecoder =
            new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        connection = new ChannelWsConnection(channel, Principal.user("ada"),
                new Authenticator.Request("/ws", Map.of(), Map.of(), "127.0.0.1"),
                new WriterLimits(3, 1_000_000, GRACE));
        WsEndpointHandler ws =
                new WsEndpointHandler(connection, handler, PipelineInitializer.decoderConfig(LIMIT), LIMIT);
        channel.pipeline().addLast("ws", ws);
        ws.open();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        clientEncoder.finishAndReleaseAll();
        clientDecoder.finishAndReleaseAll();
    }

    /** {@code frame} as the client's bytes on the wire, into the server's pipeline. */
    private void in(WebSocketFrame frame) {
        in(frame, clientEncoder);
    }

    private void in(WebSocketFrame frame, EmbeddedChannel encoder) {
        encoder.writeOutbound(frame);
        for (ByteBuf b; (b = encoder.readOutbound()) != null; ) channel.writeInbound(b);
    }

    /** The next frame the server wrote, as the client decodes it (null: none). */
    @SuppressWarnings("unchecked")
    private <T extends WebSocketFrame> T out() {
        for (Object o; (o = channel.readOutbound()) != null; ) {
            assertThat(o).as("the server writes bytes, never frame objects").isInstanceOf(ByteBuf.class);
            clientDecoder.writeInbound(o);
        }
        return (T) clientDecoder.readInbound();
    }

    @Test
    void idLooksLikeConnPlus16Hex() {
        assertThat(connection.id()).matches("conn_[0-9a-f]{16}");
        assertThat(handler.opened).containsExactly(connection);
    }

    @Test
    void textIsEchoedThroughTheWriter() {
        in(new TextWebSocketFrame("hello"));
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
        in(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        PongWebSocketFrame pong = out();
        assertThat(pong.content().readableBytes()).isEqualTo(2);
        pong.release();
        long afterPing = connection.lastReadNanos();
        assertThat(afterPing).isGreaterThan(before);

        Thread.sleep(2);
        in(new PongWebSocketFrame());
        assertThat(connection.lastReadNanos()).isGreaterThan(afterPing);
        assertThat(handler.texts).isEmpty();
    }

    @Test
    void sendPingWritesAProtocolPingAndThePeersPongCountsAsLiveness() throws Exception {
        assertThat(connection.sendPing()).isTrue();
        channel.runPendingTasks();
        PingWebSocketFrame ping = out();
        assertThat(ping).isNotNull();
        assertThat(ping.content().readableBytes()).isZero();
        ping.release();
        long before = connection.lastReadNanos();
        Thread.sleep(2);
        in(new PongWebSocketFrame());
        assertThat(connection.lastReadNanos()).isGreaterThan(before);
        assertThat(handler.texts).isEmpty();

        connection.close(DisconnectReason.NORMAL);
        ((CloseWebSocketFrame) out()).release();
        assertThat(connection.sendPing()).isFalse(); // none while closing
        assertThat((Object) out()).isNull();
    }

    @Test
    void serverCloseSendsTheCodeWaitsForThePeerThenReportsOnce() {
        connection.close(DisconnectReason.HEARTBEAT_TIMEOUT);
        assertThat(connection.isOpen()).isFalse();
        assertThat(connection.send("late")).isFalse();
        CloseWebSocketFrame sent = out();
        assertThat(sent.statusCode()).isEqualTo(1001);
        assertThat(sent.reasonText()).isEqualTo("heartbeat timeout");
        sent.release();
        assertThat(channel.isOpen()).isTrue(); // waiting for the peer's close

        in(new TextWebSocketFrame("after close")); // dropped
        in(new CloseWebSocketFrame(1001, ""));

        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.texts).isEmpty();
        assertThat(handler.closeCalls.get()).isEqualTo(1);
        assertThat(handler.closed.peek().code()).isEqualTo(1001);
        assertThat(handler.closed.peek().reason()).isEqualTo("heartbeat timeout");
    }

    @Test
    void peerThatNeverAnswersIsClosedAfterTheGrace() {
        connection.close(DisconnectReason.NORMAL);
        ((CloseWebSocketFrame) out()).release();
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
        in(new CloseWebSocketFrame(4100, "bye"));
        CloseWebSocketFrame echo = out();
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
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(4008);
        assertThat(close.reasonText()).isEqualTo("slow consumer: send queue overflow");
        close.release();
        assertThat((Object) out()).isNull(); // no data frame after the close

        channel.advanceTimeBy(GRACE.toMillis() + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(handler.closed.peek().code()).isEqualTo(4008);
    }

    @Test
    void controlFramesAreAnsweredAndTheFirstFragmentAddsTheFragmentStages() {
        in(new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8)));
        PongWebSocketFrame pong = out();
        assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("p");
        pong.release();
        in(new TextWebSocketFrame("whole"));
        assertThat(handler.texts).containsExactly("whole");
        assertThat(stages()).containsExactly("ws");
        readText();

        in(new TextWebSocketFrame(false, 0, "frag"));
        in(new PingWebSocketFrame(Unpooled.copiedBuffer("q", StandardCharsets.UTF_8)));
        in(new ContinuationWebSocketFrame(true, 0, "mented"));
        assertThat(handler.texts).containsExactly("whole", "fragmented");
        assertThat(stages()).containsExactly("ws", "ws-utf8", "ws-control", "ws-aggregator", "ws-endpoint");
        PongWebSocketFrame pong2 = out();
        assertThat(pong2.content().toString(StandardCharsets.UTF_8)).isEqualTo("q");
        pong2.release();
        assertThat(readText()).isEqualTo("fragmented");
        in(new TextWebSocketFrame("after"));
        assertThat(handler.texts).containsExactly("whole", "fragmented", "after");
        assertThat(readText()).isEqualTo("after");

        in(new CloseWebSocketFrame(1000, "done")); // through the fragment stages' ws-control
        CloseWebSocketFrame echo = out();
        assertThat(echo.statusCode()).isEqualTo(1000);
        echo.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.closeCalls.get()).isEqualTo(1);
    }

    @Test
    void invalidUtf8ClosesWith1007() {
        in(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC0, (byte) 0xAF})));
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1007);
        close.release();
        assertThat(handler.texts).isEmpty();
    }

    @Test
    void invalidUtf8AcrossFragmentsClosesWith1007() {
        in(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC0})));
        in(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF})));
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1007);
        close.release();
        assertThat(handler.texts).isEmpty();
    }

    @Test
    void anUnmaskedFrameIsAProtocolErrorClosedWith1002() {
        EmbeddedChannel unmasking = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        in(new TextWebSocketFrame("not masked"), unmasking);
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1002);
        close.release();
        assertThat(handler.texts).isEmpty();
        unmasking.finishAndReleaseAll();
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() {
        in(new TextWebSocketFrame("x".repeat(LIMIT + 1)));
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1009);
        close.release();
        assertThat(handler.texts).isEmpty();
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009() {
        in(new TextWebSocketFrame(false, 0, "x".repeat(LIMIT - 10)));
        in(new ContinuationWebSocketFrame(true, 0, "x".repeat(20)));
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1009);
        close.release();
        assertThat(handler.texts).isEmpty();
    }

    @Test
    void aLargeControlPayloadAndManyFramesInOneReadAreDecodedInOrder() {
        ByteBuf wire = Unpooled.buffer();
        for (WebSocketFrame f : new WebSocketFrame[] {new TextWebSocketFrame("one"),
                new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[125])), new TextWebSocketFrame("two")}) {
            clientEncoder.writeOutbound(f);
            for (ByteBuf b; (b = clientEncoder.readOutbound()) != null; ) {
                wire.writeBytes(b);
                b.release();
            }
        }
        channel.writeInbound(wire); // three frames in one read
        assertThat(handler.texts).containsExactly("one", "two");
        PongWebSocketFrame pong = out();
        assertThat(pong.content().readableBytes()).isEqualTo(125);
        pong.release();
        assertThat(readText()).isEqualTo("one"); // the echoes leave with the next drain
        assertThat(readText()).isEqualTo("two");
    }

    private List<String> stages() {
        return channel.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline")).toList();
    }

    @Test
    void handlerExceptionClosesWith1011() {
        in(new TextWebSocketFrame("boom"));
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1011);
        close.release();
    }

    @Test
    void binaryByDefaultClosesWith1003() {
        handler.defaultBinary = true;
        in(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[7])));
        assertThat(handler.binaries).containsExactly(7);
        CloseWebSocketFrame close = out();
        assertThat(close.statusCode()).isEqualTo(1003);
        close.release();
    }

    private String readText() {
        channel.runPendingTasks();
        TextWebSocketFrame f = out();
        try {
            return f.text();
        } finally {
            f.release();
        }
    }
}
