package io.agentwire.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The bounded send queue of one connection (rules 4 and 7 of DESIGN.md). {@link #send} may be called from any
 * thread and never blocks: it enqueues (MPSC) and schedules one drain on the event loop if none is pending. A
 * drain writes queued frames while the channel is writable and flushes once; an unwritable channel pauses the
 * queue until {@link #writabilityChanged()}. On the event loop, a message that finds the queue empty and the channel
 * writable skips the queue (the same order, the same back-pressure: the channel's water mark): it waits in one field
 * for the drain, which the loop's {@link LoopDrains} runs with the other writers' after the current task. A queue
 * over its {@link WriterLimits} is an overflow: the writer refuses every further message and reports it once, and the owner closes the connection. A producer that paces
 * itself by the queue (a replay) asks {@link #whenDrained} to be told when the queue has room again.
 */
final class ConnectionWriter implements Runnable {

    /** Told once, on the sending thread, when the queue overflows. */
    interface Overflow {
        void overflowed(int queuedMessages, long queuedBytes);
    }

    private record Drained(int below, Runnable task) { }

    private static final AtomicReferenceFieldUpdater<ConnectionWriter, Drained> DRAINED =
            AtomicReferenceFieldUpdater.newUpdater(ConnectionWriter.class, Drained.class, "drained");

    private final Channel channel;
    private final WriterLimits limits;
    private final Overflow overflow;
    /** The channel's event loop if it has a thread of its own (not an EmbeddedEventLoop), else null. */
    private final EventExecutor loop;
    /*
     * Idle connections are the common case, so the writer's own state is small: a linked queue made by the first
     * message that has to wait in it (a connection whose sends all leave from its event loop at once never has one;
     * Netty's MPSC array queue preallocated a 1 024-slot chunk, 4.7 KiB) and plain volatile counters behind static
     * field updaters instead of four Atomic* objects.
     */
    private static final AtomicIntegerFieldUpdater<ConnectionWriter> MESSAGES =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionWriter.class, "queuedMessages");
    private static final AtomicLongFieldUpdater<ConnectionWriter> BYTES =
            AtomicLongFieldUpdater.newUpdater(ConnectionWriter.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<ConnectionWriter> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionWriter.class, "drainScheduled");
    private static final AtomicIntegerFieldUpdater<ConnectionWriter> OVERFLOWED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionWriter.class, "overflowed");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<ConnectionWriter, Queue> QUEUE =
            AtomicReferenceFieldUpdater.newUpdater(ConnectionWriter.class, Queue.class, "queue");

    /** WebSocket frames, and ByteBufs that are whole encoded frames ({@link WsFrame}). */
    private volatile Queue<Object> queue; // null until a message waits: queue()
    private volatile int queuedMessages;
    private volatile long queuedBytes;
    private volatile int drainScheduled;
    private volatile int overflowed;
    /**
     * The WebSocket encoder's context, once known: whole encoded frames ({@link #sendFrame}) are written from it (the
     * handlers before it take bytes; the encoder and the handlers after it have nothing to do with them), and flushes
     * start there, so neither walks the whole pipeline. Null in a pipeline without one (a test's).
     */
    private volatile ChannelHandlerContext encoder;
    /** The one waiting {@link #whenDrained} task, if any: the only per-connection state of the hook. */
    private volatile Drained drained;
    private volatile boolean closed;
    /**
     * Event loop only: what was sent on the loop past the (empty) queue since the last drain, written by the next one
     * (a message, or {@link Held} when there are several): a connection's frames of one loop turn are written and
     * flushed together, while its state is in the cache.
     */
    private Object next;

    /** A few messages held for the drain, in order (a broadcast of several publications in one loop turn). */
    private static final class Held extends java.util.ArrayList<Object> {
        static final int MAX = 16;

        Held(Object first, Object second) {
            super(4);
            add(first);
            add(second);
        }
    }
    private volatile int flushes;
    /**
     * Event loop only: the channel was not writable after the last drain; the loop's sends take the queue (and its
     * limits) until {@link #writabilityChanged()} sees it writable again. Kept here so that a send need not look at
     * the channel (a delivery touches the writer, the channel only when the drain writes).
     */
    private boolean paused;
    /** Event loop only: bytes written past the writer wait unflushed ({@link #flushOnDrain}) for the next drain. */
    private boolean unflushed;

    ConnectionWriter(Channel channel, WriterLimits limits, Overflow overflow) {
        this.channel = channel;
        // a loop with a thread of its own; not an EmbeddedEventLoop, which calls every thread its own and runs its
        // pending tasks inside each write (a message would be a batch of its own there)
        this.loop = channel.eventLoop() instanceof SingleThreadEventExecutor e ? e : null;
        this.limits = limits;
        this.overflow = overflow;
    }

    WriterLimits limits() {
        return limits;
    }

    /** Queues {@code payload} (ownership passes to the writer) as one text frame; {@code false}: refused. */
    boolean send(ByteBuf payload) {
        return enqueue(new TextWebSocketFrame(payload));
    }

    /** Queues {@code payload} (ownership passes to the writer) as one binary frame; {@code false}: refused. */
    boolean sendBinary(ByteBuf payload) {
        return enqueue(new BinaryWebSocketFrame(payload));
    }

    /** Queues a whole encoded frame ({@link WsFrame#forWrite()}); {@code false}: refused. */
    boolean sendFrame(ByteBuf frame) {
        return enqueue(frame);
    }

    private boolean enqueue(Object frame) {
        if (closed) {
            ReferenceCountUtil.release(frame);
            return false;
        }
        if (queuedMessages == 0 && loop != null && loop.inEventLoop() && !paused) {
            // held until the drain rather than written now: the channel's write and its flush then follow each
            // other (a write entry that is recycled at once), and the queue is not touched
            Object earlier = next;
            if (earlier == null) {
                next = frame;
                scheduleDrain();
            } else if (earlier instanceof Held held) {
                if (held.size() >= Held.MAX) { // bounded: the channel's water mark sees what is written
                    next = frame;
                    writeHeld(held);
                    paused = !channel.isWritable();
                } else {
                    held.add(frame);
                }
            } else {
                next = new Held(earlier, frame);
            }
            return true;
        }
        int size = size(frame);
        int messages = MESSAGES.incrementAndGet(this);
        long bytes = BYTES.addAndGet(this, size);
        if (messages > limits.maxQueuedMessages() || bytes > limits.maxQueuedBytes()) {
            MESSAGES.decrementAndGet(this);
            BYTES.addAndGet(this, -size);
            ReferenceCountUtil.release(frame);
            closed = true;
            if (OVERFLOWED.compareAndSet(this, 0, 1)) overflow.overflowed(messages - 1, bytes - size);
            scheduleDrain();
            return false;
        }
        queue().offer(frame);
        scheduleDrain();
        return true;
    }

    private Queue<Object> queue() {
        Queue<Object> q = queue;
        if (q == null) {
            q = new ConcurrentLinkedQueue<>();
            if (!QUEUE.compareAndSet(this, null, q)) q = queue;
        }
        return q;
    }

    /**
     * Runs {@code task} once, on the event loop, as soon as fewer than {@code below} messages are queued (at once
     * if that is already so); a later call replaces a task that has not run. Never runs after {@link #discard}.
     * Any thread.
     */
    void whenDrained(int below, Runnable task) {
        if (closed) return;
        Drained d = new Drained(below, task);
        drained = d;
        if (queuedMessages < below && DRAINED.compareAndSet(this, d, null)) {
            try {
                channel.eventLoop().execute(task);
            } catch (RejectedExecutionException e) { // event loop shut down: the connection is gone
            }
        }
    }

    /** Event loop: the channel's writability changed; resume if it is writable and frames wait. */
    void writabilityChanged() {
        if (!channel.isWritable()) return;
        paused = false;
        Queue<Object> q = queue;
        if (q != null && !q.isEmpty()) scheduleDrain();
    }

    /** Event loop: refuse further sends and release what is queued (on close). */
    void discard() {
        closed = true;
        drained = null;
        releaseQueued();
    }

    boolean isClosed() {
        return closed;
    }

    int queuedMessages() {
        return queuedMessages;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** How many times a drain flushed the channel (one per batch). */
    int flushes() {
        return flushes;
    }

    private void scheduleDrain() {
        if (SCHEDULED.compareAndSet(this, 0, 1)) {
            if (loop != null && loop.inEventLoop()) {
                LoopDrains.add(this, loop);
                return;
            }
            try {
                channel.eventLoop().execute(this);
            } catch (RejectedExecutionException e) { // event loop shut down: nothing will write any more
                closed = true;
                drainScheduled = 0;
            }
        }
    }

    /** The drain task (event loop). */
    @Override
    public void run() {
        drain();
    }

    /**
     * Whether whole frames can be written past the WebSocket encoder (the pipeline has one): a sender then encodes
     * its frames itself ({@link WsFrame}) and hands them to {@link #sendFrame}. Any thread.
     */
    boolean writesFrames() {
        ChannelHandlerContext ctx = encoder;
        if (ctx == null) {
            ctx = channel.pipeline().context(WebSocketFrameEncoder.class);
            if (ctx == null) return false;
            encoder = ctx;
        }
        return true;
    }

    private void writeHeld(Held held) {
        for (int i = 0, n = held.size(); i < n; i++) write(held.get(i));
    }

    /** Event loop: a WebSocket frame through the pipeline, a whole encoded one past the encoder when it can. */
    private void write(Object frame) {
        ChannelHandlerContext ctx = encoder;
        if (ctx != null && frame instanceof ByteBuf) ctx.write(frame, ctx.voidPromise());
        else channel.write(frame, channel.voidPromise());
    }

    /**
     * Event loop: something was written to the channel without a flush (the WebSocket handshake's response); the next
     * drain flushes it, with the frames sent meanwhile (the protocol's first packet: one send, not two), and a drain
     * is due now so that it leaves even when nothing is sent.
     */
    void flushOnDrain() {
        unflushed = true;
        scheduleDrain();
    }

    /** Event loop: writes what is queued while the channel is writable, flushes once. */
    void drain() {
        drainScheduled = 0; // before polling: a send that lands after this schedules the next drain
        if (closed) {
            releaseQueued();
            return;
        }
        boolean wrote = false;
        Object first = next;
        if (first != null) {
            next = null;
            if (first instanceof Held held) writeHeld(held); else write(first);
            wrote = true;
        }
        Queue<Object> q = queue;
        while (q != null && queuedMessages > 0 && channel.isWritable()) { // an empty queue: not even polled
            Object frame = q.poll();
            if (frame == null) break;
            MESSAGES.decrementAndGet(this);
            BYTES.addAndGet(this, -size(frame));
            write(frame);
            wrote = true;
        }
        if (wrote || unflushed) {
            unflushed = false;
            flushes++;
            ChannelHandlerContext ctx = encoder;
            if (ctx != null) ctx.flush(); else channel.flush();
            paused = !channel.isWritable();
        }
        Drained d = drained;
        if (d != null && queuedMessages < d.below() && DRAINED.compareAndSet(this, d, null)) d.task().run();
    }

    private void releaseQueued() {
        if (next != null && channel.eventLoop().inEventLoop()) {
            if (next instanceof Held held) held.forEach(ReferenceCountUtil::release); else ReferenceCountUtil.release(next);
            next = null;
        }
        Queue<Object> q = queue;
        Object frame;
        while (q != null && (frame = q.poll()) != null) {
            MESSAGES.decrementAndGet(this);
            BYTES.addAndGet(this, -size(frame));
            ReferenceCountUtil.release(frame);
        }
    }

    private static int size(Object frame) {
        return frame instanceof ByteBuf b ? b.readableBytes() : ((ByteBufHolder) frame).content().readableBytes();
    }
}
