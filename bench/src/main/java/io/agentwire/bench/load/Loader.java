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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The generator's network side: one event loop thread (epoll) for every client, WebSocket handshakes, and source
 * addresses spread over 127.B.C.x (a fresh B.C per process, {@value #PER_SOURCE} clients per address) so that the
 * ephemeral ports of one address, and the TIME_WAIT left by an earlier run, never limit the count.
 */
public final class Loader implements AutoCloseable {
    static final int PER_SOURCE = 10_000;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final URI uri;
    private final int sourceB = ThreadLocalRandom.current().nextInt(1, 255);
    private final int sourceC = ThreadLocalRandom.current().nextInt(0, 255);
    private final Wire.In in = new Wire.In();

    public Loader(String host, int port, Proto proto) {
        boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        loop = group.next();
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

    public EventLoop loop() {
        return loop;
    }

    /** Runs {@code task} on the generator's event loop and waits for its answer. */
    public <T> T onLoop(Callable<T> task) {
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens {@code c}'s WebSocket (again): the client's state (pid, offset, session) carries over. */
    public void connect(Conn c) {
        InetSocketAddress local = new InetSocketAddress(source(c.index), 0);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, 1 << 20);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new ClientHandler(c, handshaker));
            }
        });
        c.connectStarted = System.nanoTime();
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
        return onLoop(() -> (int) clients.stream().filter(Conn::ready).count());
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

        ClientHandler(Conn c, WebSocketClientHandshaker handshaker) {
            this.c = c;
            this.handshaker = handshaker;
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
