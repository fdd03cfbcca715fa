package io.agentwire.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

/**
 * The generator's network side: {@code loops} event loop threads (epoll), each client confined to one of them for
 * its whole life ({@link #loopOf}: its index modulo the count), WebSocket handshakes, and source addresses spread
 * over 127.B.C.x (a fresh B.C per process, {@value #PER_SOURCE} clients per address) so that the ephemeral ports of
 * one address, and the TIME_WAIT left by an earlier run, never limit the count.
 *
 * <p>A scenario keeps what its listeners count per loop (or in thread-safe objects) and merges it with
 * {@link #onEveryLoop} or {@link #values}: nothing a listener touches is shared between loops unguarded.
 */
public final class Loader implements AutoCloseable {
    static final int PER_SOURCE = 10_000;

    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final URI uri;
    private final int sourceB = ThreadLocalRandom.current().nextInt(1, 255);
    private final int sourceC = ThreadLocalRandom.current().nextInt(0, 255);
    /** One frame scanner per loop: each is refilled by every parse on its own thread. */
    private final Wire.In[] ins;

    public Loader(String host, int port, Proto proto) {
        this(host, port, proto, 1);
    }

    public Loader(String host, int port, Proto proto, int loopCount) {
        if (loopCount < 1) throw new IllegalArgumentException("loops must be at least 1, was " + loopCount);
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(loopCount) : new NioEventLoopGroup(loopCount);
        loops = new EventLoop[loopCount];
        ins = new Wire.In[loopCount];
        int i = 0;
        for (EventExecutor e : group) {
            loops[i] = (EventLoop) e;
            ins[i++] = new Wire.In();
        }
        remote = new InetSocketAddress(host, port);
        uri = URI.create("ws://" + host + ":" + port + proto.path());
        bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) { }
                });
    }

    public String kind() {
        return group instanceof EpollEventLoopGroup ? "epoll" : "nio";
    }

    /** How many event loop threads. */
    public int loops() {
        return loops.length;
    }

    /** The loop of client {@code c}: every callback about it runs there. */
    public int loopOf(Conn c) {
        return c.index % loops.length;
    }

    public EventLoop loop(int i) {
        return loops[i];
    }

    public EventLoop loop(Conn c) {
        return loops[loopOf(c)];
    }

    /** Runs {@code task} on loop {@code i} and waits for its answer. */
    public <T> T onLoop(int i, Callable<T> task) {
        try {
            return loops[i].submit(task).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code task} on the loop of {@code c} (where its state may be read) and waits for its answer. */
    public <T> T onLoop(Conn c, Callable<T> task) {
        return onLoop(loopOf(c), task);
    }

    /** Runs {@code task(i)} on every loop {@code i} (all at once) and waits for the answers, in loop order. */
    public <T> List<T> onEveryLoop(IntFunction<T> task) {
        List<Future<T>> futures = new ArrayList<>(loops.length);
        for (int i = 0; i < loops.length; i++) {
            int loop = i;
            futures.add(loops[i].submit(() -> task.apply(loop)));
        }
        List<T> out = new ArrayList<>(loops.length);
        try {
            for (Future<T> f : futures) out.add(f.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** {@code f} of every client, each read on its own loop (clients of loop 0 first, then loop 1, …). */
    public long[] values(List<Conn> clients, ToLongFunction<Conn> f) {
        return onEveryLoop(i -> clients.stream().filter(c -> loopOf(c) == i).mapToLong(f).toArray()).stream()
                .flatMapToLong(LongStream::of).toArray();
    }

    /** The sum of {@code f} over every client, each read on its own loop. */
    public long sum(List<Conn> clients, ToLongFunction<Conn> f) {
        return LongStream.of(values(clients, f)).sum();
    }

    /** How many of {@code clients} are ready, each asked on its own loop. */
    public int ready(List<Conn> clients) {
        return (int) sum(clients, c -> c.ready() ? 1 : 0);
    }

    /** The ids of the loops' threads (for their CPU time). */
    public long[] threadIds() {
        return onEveryLoop(i -> Thread.currentThread().threadId()).stream().mapToLong(Long::longValue).toArray();
    }

    /** Opens {@code c}'s WebSocket (again): the client's state (pid, offset, session) carries over. */
    public void connect(Conn c) {
        InetSocketAddress local = new InetSocketAddress(source(c.index), 0);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, 1 << 20);
        EventLoop loop = loop(c);
        Wire.In in = ins[loopOf(c)];
        Bootstrap b = bootstrap.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new ClientHandler(c, handshaker, in));
            }
        });
        c.connectStarted = System.nanoTime();
        c.refusedStatus = 0;
        c.upgraded = false;
        b.connect(remote, local).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) loop.execute(() -> c.closed(null));
        });
    }

    /** Opens every client with at most {@code inFlight} handshakes pending; waits until all settled or the deadline. */
    public int connectAll(List<Conn> clients, int inFlight, long timeoutNanos) throws InterruptedException {
        Gate gate = new Gate(inFlight);
        long deadline = System.nanoTime() + timeoutNanos;
        for (Conn c : clients) {
            if (!gate.acquire(deadline)) break;
            c.settled = gate;
            connect(c);
        }
        gate.drain(deadline);
        return ready(clients);
    }

    private InetAddress source(int index) {
        int d = 1 + index / PER_SOURCE;
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) sourceB, (byte) sourceC, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class ClientHandler extends SimpleChannelInboundHandler<Object> {
        private final Conn c;
        private final WebSocketClientHandshaker handshaker;
        private final Wire.In in;

        ClientHandler(Conn c, WebSocketClientHandshaker handshaker, Wire.In in) {
            this.c = c;
            this.handshaker = handshaker;
            this.in = in;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            c.channel = ctx.channel();
            handshaker.handshake(ctx.channel());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpResponse response) {
                if (handshaker.isHandshakeComplete()) return;
                if (response.status().code() != 101) c.refusedStatus = response.status().code();
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                } catch (RuntimeException e) {
                    ctx.close();
                    return;
                }
                c.opened();
            } else if (msg instanceof TextWebSocketFrame text) {
                c.text(text.text(), in, System.nanoTime());
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof WebSocketFrame frame && !frame.isFinalFragment()) {
                ctx.close(); // the bench servers send whole frames only
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            c.closed(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
