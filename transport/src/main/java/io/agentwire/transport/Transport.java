package io.agentwire.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop groups of one process: one acceptor thread and {@code ioThreads} I/O threads, native epoll when
 * available, NIO otherwise. Several {@link NettyServer}s (ports) share one Transport. Close it after its servers.
 */
public final class Transport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final boolean epoll;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;

    private Transport(int ioThreads) {
        if (ioThreads < 0) throw new IllegalArgumentException("ioThreads must not be negative, was " + ioThreads);
        this.epoll = Epoll.isAvailable();
        DefaultThreadFactory acceptorThreads = new DefaultThreadFactory("aw-accept");
        DefaultThreadFactory ioThreadFactory = new DefaultThreadFactory("aw-io");
        if (epoll) {
            acceptors = new EpollEventLoopGroup(1, acceptorThreads);
            workers = new EpollEventLoopGroup(ioThreads, ioThreadFactory);
        } else {
            acceptors = new NioEventLoopGroup(1, acceptorThreads);
            workers = new NioEventLoopGroup(ioThreads, ioThreadFactory);
        }
        log.info("transport started: {} with {} I/O threads", kind(),
                ioThreads == 0 ? "default (2 x cores)" : ioThreads);
    }

    /** A transport with Netty's default number of I/O threads (twice the cores). */
    public static Transport create() {
        return new Transport(0);
    }

    /** A transport with {@code ioThreads} I/O threads (0: Netty's default). */
    public static Transport create(int ioThreads) {
        return new Transport(ioThreads);
    }

    /** {@code "epoll"} or {@code "nio"}. */
    public String kind() {
        return epoll ? "epoll" : "nio";
    }

    EventLoopGroup acceptors() {
        return acceptors;
    }

    EventLoopGroup workers() {
        return workers;
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Stops the event loops (waits up to 5 s). Must not be called from an event loop. */
    @Override
    public void close() {
        acceptors.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        acceptors.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
