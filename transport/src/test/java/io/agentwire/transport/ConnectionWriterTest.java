package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionWriterTest {
    private final AtomicInteger flushes = new AtomicInteger();
    private final List<long[]> overflows = new ArrayList<>();
    private EmbeddedChannel channel;
    private ConnectionWriter writer;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        writer = new ConnectionWriter(channel, new WriterLimits(5, 1_000, Duration.ofSeconds(1)),
                (messages, bytes) -> overflows.add(new long[] {messages, bytes}));
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        }, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                writer.writabilityChanged();
            }
        });
    }

    @Test
    void manySendsAreWrittenInOrderWithOneFlush() {
        for (int i = 0; i < 5; i++) assertThat(writer.send(text("m" + i))).isTrue();
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(writer.queuedMessages()).isEqualTo(5);

        channel.runPendingTasks();

        assertThat(received()).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(flushes.get()).isEqualTo(1);
        assertThat(writer.flushes()).isEqualTo(1);
        assertThat(writer.queuedMessages()).isZero();
        assertThat(writer.queuedBytes()).isZero();
    }

    @Test
    void sendsFromOtherThreadsAreBatchedIntoOneDrain() throws Exception {
        Thread t1 = new Thread(() -> { writer.send(text("a")); writer.send(text("b")); });
        t1.start();
        t1.join();
        assertThat(writer.send(text("c"))).isTrue();

        channel.runPendingTasks();

        assertThat(received()).containsExactly("a", "b", "c");
        assertThat(flushes.get()).isEqualTo(1);
    }

    @Test
    void unwritableChannelStopsTheDrainAndWritabilityResumesIt() {
        setWritable(false);
        writer.send(text("x"));
        writer.send(text("y"));
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(flushes.get()).isZero();
        assertThat(writer.queuedMessages()).isEqualTo(2);

        setWritable(true);
        channel.runPendingTasks();

        assertThat(received()).containsExactly("x", "y");
        assertThat(flushes.get()).isEqualTo(1);
        assertThat(writer.queuedMessages()).isZero();
    }

    @Test
    void drainStopsWhenTheChannelTurnsUnwritableMidBatch() {
        // writes past the high water mark (64 KiB) without a flush turn the channel unwritable
        byte[] big = new byte[40 * 1024];
        WriterLimits roomy = new WriterLimits(100, 10_000_000, Duration.ofSeconds(1));
        ConnectionWriter w = new ConnectionWriter(channel, roomy, (m, b) -> { });
        channel.config().setWriteBufferWaterMark(PipelineInitializer.WATER_MARK);
        for (int i = 0; i < 5; i++) w.send(Unpooled.wrappedBuffer(big));

        channel.runPendingTasks();

        // two 40 KiB frames reach the high water mark; the rest waits for the next drain
        assertThat(w.flushes()).isEqualTo(1);
        assertThat(channel.outboundMessages()).hasSize(2);
        assertThat(w.queuedMessages()).isEqualTo(3);
        w.writabilityChanged(); // writable again after the flush
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).hasSize(4);
        w.writabilityChanged();
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).hasSize(5);
        assertThat(w.queuedBytes()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void overflowByCountRefusesReportsOnceAndReleasesEveryBuffer() {
        setWritable(false);
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuf b = text("q" + i);
            sent.add(b);
            assertThat(writer.send(b)).isTrue();
        }
        ByteBuf sixth = text("q5");
        assertThat(writer.send(sixth)).isFalse();
        assertThat(sixth.refCnt()).isZero();
        assertThat(overflows).hasSize(1);
        assertThat(overflows.get(0)[0]).isEqualTo(5);

        ByteBuf later = text("later");
        assertThat(writer.send(later)).isFalse();
        assertThat(later.refCnt()).isZero();
        assertThat(overflows).hasSize(1);

        channel.runPendingTasks();
        assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(writer.queuedMessages()).isZero();
        assertThat(writer.queuedBytes()).isZero();
        assertThat(channel.outboundMessages()).isEmpty();
    }

    @Test
    void overflowByBytes() {
        setWritable(false);
        assertThat(writer.send(Unpooled.wrappedBuffer(new byte[600]))).isTrue();
        assertThat(writer.send(Unpooled.wrappedBuffer(new byte[600]))).isFalse();
        assertThat(overflows).hasSize(1);
        assertThat(overflows.get(0)[1]).isEqualTo(600);
    }

    @Test
    void discardReleasesQueuedAndRefusesLaterSends() {
        setWritable(false);
        ByteBuf queued = text("queued");
        writer.send(queued);

        writer.discard();

        assertThat(queued.refCnt()).isZero();
        ByteBuf after = text("after");
        assertThat(writer.send(after)).isFalse();
        assertThat(after.refCnt()).isZero();
        assertThat(writer.isClosed()).isTrue();
        assertThat(overflows).isEmpty();
    }

    @Test
    void whenDrainedRunsOnceTheQueueFallsBelowTheThreshold() {
        AtomicInteger ran = new AtomicInteger();
        setWritable(false);
        for (int i = 0; i < 4; i++) writer.send(text("q" + i));
        writer.whenDrained(2, ran::incrementAndGet);
        channel.runPendingTasks();
        assertThat(ran.get()).as("4 queued, the channel not writable").isZero();

        setWritable(true);
        channel.runPendingTasks();

        assertThat(received()).containsExactly("q0", "q1", "q2", "q3");
        assertThat(ran.get()).isEqualTo(1);
        writer.send(text("more"));
        channel.runPendingTasks();
        assertThat(ran.get()).as("runs once").isEqualTo(1);
    }

    @Test
    void whenDrainedRunsAtOnceOnTheLoopIfTheQueueHasRoomAndALaterCallReplacesAnEarlier() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        writer.whenDrained(1, first::incrementAndGet);
        assertThat(first.get()).as("on the event loop, not inline").isZero();
        channel.runPendingTasks();
        assertThat(first.get()).isEqualTo(1);

        setWritable(false);
        writer.send(text("a"));
        writer.whenDrained(1, first::incrementAndGet);
        writer.whenDrained(1, second::incrementAndGet);
        setWritable(true);
        channel.runPendingTasks();
        assertThat(first.get()).isEqualTo(1);
        assertThat(second.get()).isEqualTo(1);
        received();
    }

    @Test
    void whenDrainedNeverRunsAfterDiscard() {
        AtomicInteger ran = new AtomicInteger();
        setWritable(false);
        writer.send(text("x"));
        writer.whenDrained(1, ran::incrementAndGet);
        writer.discard();
        setWritable(true);
        channel.runPendingTasks();
        writer.whenDrained(1, ran::incrementAndGet); // asked after the discard: the queue is empty, still never
        channel.runPendingTasks();
        assertThat(ran.get()).isZero();
    }

    @Test
    void onAnEventLoopTheSendsOfOneTurnSkipTheQueueAndAreWrittenInOrderWithOneFlush() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            LocalAddress address = new LocalAddress("writer-" + System.nanoTime());
            List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
            new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            got.add(b.toString(StandardCharsets.UTF_8));
                            b.release();
                        }
                    }).bind(address).sync();
            AtomicInteger loopFlushes = new AtomicInteger();
            io.netty.channel.Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelOutboundHandlerAdapter() {
                        @Override
                        public void flush(ChannelHandlerContext ctx) {
                            loopFlushes.incrementAndGet();
                            ctx.flush();
                        }
                    }).connect(address).sync().channel();
            ConnectionWriter w = new ConnectionWriter(client, new WriterLimits(5, 1_000, Duration.ofSeconds(1)),
                    (m, b) -> { });
            int n = 40; // more than a connection holds for the drain at once: the rest is written as it comes
            client.eventLoop().submit(() -> {
                for (int i = 0; i < n; i++) assertThat(w.sendFrame(text("m" + i))).isTrue();
                assertThat(w.queuedMessages()).as("the queue (and its limit of 5) is not used").isZero();
            }).sync();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < n; i++) expected.append("m").append(i);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (String.join("", got).length() < expected.length() && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(String.join("", got)).as("every frame, in order (the local transport may join reads)")
                    .isEqualTo(expected.toString());
            assertThat(loopFlushes.get()).isEqualTo(1);
            assertThat(w.flushes()).isEqualTo(1);
            client.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void onAnEventLoopAnUnwritableChannelSendsTheLoopsMessagesToTheBoundedQueue() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            LocalAddress address = new LocalAddress("writer-paused-" + System.nanoTime());
            new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync();
            io.netty.channel.Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
            List<long[]> overflowed = java.util.Collections.synchronizedList(new ArrayList<>());
            ConnectionWriter w = new ConnectionWriter(client, new WriterLimits(5, 1_000, Duration.ofSeconds(1)),
                    (m, b) -> overflowed.add(new long[] {m, b}));
            client.eventLoop().submit(() -> {
                client.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
                assertThat(w.sendFrame(text("first"))).isTrue(); // held for the drain: it does not know yet
            }).sync();
            client.eventLoop().submit(() -> { }).sync(); // the drain has run: it saw the channel unwritable
            client.eventLoop().submit(() -> {
                for (int i = 0; i < 5; i++) assertThat(w.sendFrame(text("q" + i))).isTrue();
                assertThat(w.queuedMessages()).isEqualTo(5);
                assertThat(w.sendFrame(text("q5"))).as("over the queue's limit").isFalse();
            }).sync();
            assertThat(overflowed).hasSize(1);
            assertThat(overflowed.get(0)[0]).isEqualTo(5);
            client.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    private void setWritable(boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    }

    private static ByteBuf text(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> received() {
        List<String> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            TextWebSocketFrame f = (TextWebSocketFrame) o;
            out.add(f.text());
            f.release();
        }
        return out;
    }
}
