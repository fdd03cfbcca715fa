package io.agentwire.transport.socketio.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoRecovery;
import io.agentwire.transport.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Socket.IO server the load drivers of {@code src/test/js/bench/} measure (not part of the test run): on
 * 127.0.0.1, {@code echo} answers its acknowledgement with its arguments, {@code join} joins a room,
 * {@code bench-broadcast [count, bytes]} broadcasts {@code count} events {@code b} of {@code bytes} characters to the
 * room {@code bench} as fast as the core takes them. It stops by itself after {@code maxSeconds}.
 *
 * <pre>java -cp … io.agentwire.transport.socketio.bench.BenchServer [port] [maxSeconds] [recovery on|off]</pre>
 */
public final class BenchServer {
    private BenchServer() { }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3100;
        int maxSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        boolean recovery = args.length <= 2 || !"off".equals(args[2]);
        Transport transport = Transport.create();
        Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), null, NodeConfig.DEFAULT);
        SocketIoServer io = SocketIoServer.create(node, SocketIoConfig.DEFAULTS.withName("bench")
                .withRecovery(recovery ? SocketIoRecovery.DEFAULTS : SocketIoRecovery.DISABLED));
        io.sockets().onConnection(s -> {
            s.on("echo", (a, ack) -> ack.send(spread(a)));
            s.on("join", (a, ack) -> {
                s.join(a.get(0).asText());
                ack.send("joined");
            });
            s.on("bench-broadcast", (a, ack) -> Thread.ofVirtual().start(() -> {
                String payload = "x".repeat(a.get(1).asInt());
                long t0 = System.nanoTime();
                for (int i = 0; i < a.get(0).asInt(); i++) io.to("bench").emit("b", i, payload);
                ack.send((System.nanoTime() - t0) / 1_000_000.0);
            }));
        });
        Routes routes = io.install(Routes.builder(), r -> new Authenticator.Accepted(Principal.ANONYMOUS)).build();
        NettyServer server = new NettyServer(transport, ServerConfig.of("127.0.0.1", port), routes);
        server.start();
        System.out.println("agentwire bench server on 127.0.0.1:" + port + " (" + transport.kind() + ", recovery "
                + (recovery ? "on" : "off") + ", " + Runtime.getRuntime().availableProcessors() + " cpus, stops in "
                + maxSeconds + " s)");
        Thread.sleep(Duration.ofSeconds(maxSeconds));
        server.close();
        node.close();
        transport.close();
        System.exit(0);
    }

    private static Object[] spread(ArrayNode args) {
        List<Object> out = Arrays.asList(new Object[args.size()]);
        for (int i = 0; i < args.size(); i++) out.set(i, args.get(i));
        return out.toArray();
    }
}
