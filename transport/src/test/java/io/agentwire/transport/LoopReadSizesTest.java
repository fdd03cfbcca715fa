package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One read-sizing handle for every channel, its state kept per thread (the event loop). */
class LoopReadSizesTest {
    private final DefaultChannelConfig config = new DefaultChannelConfig(new EmbeddedChannel());

    @Test
    void everyChannelGetsTheSameHandleAndNettyAcceptsIt() {
        RecvByteBufAllocator.Handle a = LoopReadSizes.INSTANCE.newHandle();
        assertThat(LoopReadSizes.INSTANCE.newHandle()).isSameAs(a);
        assertThat(a).isInstanceOf(RecvByteBufAllocator.ExtendedHandle.class);
        config.setRecvByteBufAllocator(LoopReadSizes.INSTANCE); // Netty refuses an allocator without extended handles
        assertThat(config.<RecvByteBufAllocator>getRecvByteBufAllocator()).isSameAs(LoopReadSizes.INSTANCE);
    }

    @Test
    void aReadLoopsCountersAndTheGuessBelongToTheThreadThatReads() throws Exception {
        RecvByteBufAllocator.ExtendedHandle handle =
                (RecvByteBufAllocator.ExtendedHandle) LoopReadSizes.INSTANCE.newHandle();
        int first = handle.guess();
        // a read that filled its buffer twice: the adaptive guess grows for this thread's next reads
        fullReads(handle, 2);
        int grown = handle.guess();
        assertThat(grown).isGreaterThan(first);
        assertThat(LoopReadSizes.INSTANCE.current().guess()).isEqualTo(grown);

        // another thread (another loop) reads with the same handle object and starts from its own state
        int[] other = CompletableFuture.supplyAsync(() -> {
            int before = handle.guess();
            handle.reset(config);
            handle.attemptedBytesRead(10);
            handle.lastBytesRead(3);
            return new int[] {before, handle.lastBytesRead()};
        }).get();
        assertThat(other[0]).isEqualTo(first);
        assertThat(other[1]).isEqualTo(3);
        assertThat(handle.guess()).isEqualTo(grown); // untouched here
    }

    private void fullReads(RecvByteBufAllocator.ExtendedHandle handle, int reads) {
        for (int i = 0; i < reads; i++) {
            handle.reset(config);
            ByteBuf buf = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
            int size = buf.writableBytes();
            buf.release();
            handle.attemptedBytesRead(size);
            handle.lastBytesRead(size);
            handle.incMessagesRead(1);
            handle.readComplete();
        }
    }
}
