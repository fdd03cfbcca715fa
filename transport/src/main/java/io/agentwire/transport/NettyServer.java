package io.agentwire.transport;

import io.agentwire.core.DisconnectReason;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket serving {@link Routes} on a {@link Transport}'s event loops. {@link #start()} binds and
 * returns the port; {@link #close()} stops accepting, closes WebSocket connections with
 * {@link DisconnectReason#SHUTDOWN} (1001), waits for them up to the close grace, then drops what is left. Neither
 * may be called from an event loop.
 */
public final class NettyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettyServer.class);
    private final Transport transport;
    private final ServerConfig config;
    private final Routes routes;
    private final ChannelGroup connections = new DefaultChannelGroup("agentwire-connections",
            GlobalEventExecutor.INSTANCE);
    private final ConnectionGuard guard;
    private Channel listener;
    private boolean closed;

    public NettyServer(Transport transport, ServerConfig config, Routes routes) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.guard = new ConnectionGuard(config.limits());
    }

    /** Binds {@code host:port}; returns the bound port (the ephemeral one when the configured port is 0). */
    public synchronized int start() {
        if (listener != null || closed) throw new IllegalStateException("server already started");
        ChannelFuture bound = new ServerBootstrap()
                .group(transport.acceptors(), transport.workers())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, LoopReadSizes.INSTANCE) // per loop, not per channel
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, PipelineInitializer.WATER_MARK)
                .childHandler(new PipelineInitializer(config, routes, connections, guard))
                .bind(config.host(), config.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("can not listen on " + config.host() + ":" + config.port() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        listener = bound.channel();
        guard.start(transport.workers().next());
        log.info("listening on {}:{} ({})", config.host(), port(), transport.kind());
        return port();
    }

    /** The bound port; -1 before {@link #start()}. */
    public synchronized int port() {
        return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Open connections (HTTP and WebSocket). */
    public int connectionCount() {
        return connections.size();
    }

    /** Open connections that speak HTTP (the rest are WebSockets): what the timeout sweep looks at. */
    int httpConnectionCount() {
        return guard.httpConnections();
    }

    /** Connections closed so far by the idle, header or body timeout. */
    public long timedOutConnections() {
        return guard.timedOut();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (listener == null) return;
        int port = port();
        guard.stop();
        listener.close().awaitUninterruptibly();
        for (Channel ch : connections) {
            WsEndpointHandler ws = ch.pipeline().get(WsEndpointHandler.class);
            if (ws != null) {
                ws.connection().close(DisconnectReason.SHUTDOWN);
            } else {
                ch.close();
            }
        }
        long graceMillis = config.writer().closeGrace().toMillis() + 1_000;
        if (!connections.newCloseFuture().awaitUninterruptibly(graceMillis, TimeUnit.MILLISECONDS)) {
            connections.close().awaitUninterruptibly(graceMillis, TimeUnit.MILLISECONDS);
        }
        log.info("stopped listening on {}:{}", config.host(), port);
    }
}
