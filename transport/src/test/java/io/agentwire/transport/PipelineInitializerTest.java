package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of contents: the stages of a connection before and after the WebSocket upgrade. */
class PipelineInitializerTest {
    private final RecordingHandler handler = new RecordingHandler(false);
    private final Routes routes = Routes.builder()
            .webSocket(WebSocketEndpoint.at("/ws", r -> new Authenticator.Accepted(Principal.user("ada")), handler))
            .build();
    private final EmbeddedChannel channel = new EmbeddedChannel(new PipelineInitializer(
            ServerConfig.of("127.0.0.1", 0), routes, new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));

    @Test
    void httpStages() {
        assertThat(stages()).containsExactly("http-decoder", "http-encoder", "http-aggregator", "router");
    }

    @Test
    void webSocketStagesAfterTheUpgrade() {
        channel.writeInbound(upgradeRequest());

        ByteBuf response = channel.readOutbound();
        assertThat(response.toString(StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 101 Switching Protocols")
                .contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455's sample accept key
        response.release();
        assertThat(stages()).containsExactly("ws"); // Netty's wsdecoder and wsencoder and the router: one stage
        assertThat(handler.opened).hasSize(1);
        assertThat(channel.pipeline().get(WsEndpointHandler.class).connection()).isSameAs(handler.opened.peek());
        channel.finishAndReleaseAll();
    }

    /**
     * The 101 and what the endpoint sends on open leave in one flush (one send on a socket), the 101 first; an
     * endpoint that sends nothing on open still gets its 101 flushed (the test above).
     */
    @Test
    void theResponseAndTheFirstMessageLeaveInOneFlush() {
        WsHandler greeter = new WsHandler() {
            @Override public void onOpen(WsConnection c) { c.send("hello"); }
            @Override public void onText(WsConnection c, String text) { }
            @Override public void onClose(WsConnection c, int code, String reason) { }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new PipelineInitializer(ServerConfig.of("127.0.0.1", 0),
                Routes.builder().webSocket(WebSocketEndpoint.at("/ws",
                        r -> new Authenticator.Accepted(Principal.user("ada")), greeter)).build(),
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE)));
        List<String> events = new java.util.ArrayList<>();
        ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg,
                              io.netty.channel.ChannelPromise promise) {
                boolean response = msg instanceof ByteBuf b
                        && b.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101");
                events.add(response ? "101" : "frame");
                ctx.write(msg, promise);
            }

            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                events.add("flush");
                ctx.flush();
            }
        });
        ch.writeInbound(upgradeRequest());

        assertThat(events).containsExactly("101", "frame", "flush");
        ByteBuf response = ch.readOutbound();
        assertThat(response.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101 Switching Protocols");
        response.release();
        ByteBuf frame = ch.readOutbound();
        assertThat(frame.getByte(0) & 0xff).as("FIN + text").isEqualTo(0x81);
        assertThat(frame.toString(2, frame.readableBytes() - 2, StandardCharsets.UTF_8)).isEqualTo("hello");
        frame.release();
        ch.finishAndReleaseAll();
    }

    /** A version-13 upgrade to /ws, with RFC 6455's sample key. */
    private static ByteBuf upgradeRequest() {
        return Unpooled.copiedBuffer("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n", StandardCharsets.US_ASCII);
    }

    private List<String> stages() {
        return channel.pipeline().names().stream().filter(n -> !n.startsWith("DefaultChannelPipeline")).toList();
    }
}
