package io.agentwire.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Netty's adaptive sizing of reads ({@link AdaptiveRecvByteBufAllocator}) with one guess per event loop thread
 * instead of one per connection: every channel gets the same stateless {@link Handle}, which works on the calling
 * thread's adaptive handle. Netty's own keeps its state (the guess, the read loop's counters) in a handle per channel:
 * 96 bytes that an idle connection holds for nothing.
 *
 * <p>This is sound because a channel uses its handle only inside one read of its own on its event loop — Netty's
 * epoll and NIO channels call {@code reset} when a read starts and {@code readComplete} when it ends, in one call on
 * the channel's loop, and no read of another channel can start on that thread before it ends (a handler that asks
 * another channel to read only schedules that read). So the read loop's counters never mix two channels. What is
 * shared is the guess of the next read's size: it follows what the loop's connections send, as a connection's own did.
 */
final class LoopReadSizes implements RecvByteBufAllocator {
    static final LoopReadSizes INSTANCE = new LoopReadSizes();

    private final AdaptiveRecvByteBufAllocator sizes = new AdaptiveRecvByteBufAllocator();
    private final FastThreadLocal<ExtendedHandle> perThread = new FastThreadLocal<>() {
        @Override
        protected ExtendedHandle initialValue() {
            return (ExtendedHandle) sizes.newHandle();
        }
    };
    private final ExtendedHandle shared = new ThreadHandle();

    private LoopReadSizes() { }

    @Override
    public Handle newHandle() {
        return shared;
    }

    /** The calling thread's adaptive handle (tests). */
    ExtendedHandle current() {
        return perThread.get();
    }

    private final class ThreadHandle implements ExtendedHandle {
        @Override public ByteBuf allocate(ByteBufAllocator alloc) { return perThread.get().allocate(alloc); }
        @Override public int guess() { return perThread.get().guess(); }
        @Override public void reset(ChannelConfig config) { perThread.get().reset(config); }
        @Override public void incMessagesRead(int numMessages) { perThread.get().incMessagesRead(numMessages); }
        @Override public void lastBytesRead(int bytes) { perThread.get().lastBytesRead(bytes); }
        @Override public int lastBytesRead() { return perThread.get().lastBytesRead(); }
        @Override public void attemptedBytesRead(int bytes) { perThread.get().attemptedBytesRead(bytes); }
        @Override public int attemptedBytesRead() { return perThread.get().attemptedBytesRead(); }
        @Override public boolean continueReading() { return perThread.get().continueReading(); }
        @Override public void readComplete() { perThread.get().readComplete(); }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return perThread.get().continueReading(maybeMoreDataSupplier);
        }
    }
}
