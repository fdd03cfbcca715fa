package io.agentwire.transport.socketio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import io.agentwire.transport.engineio.EngineIoConfig;
import java.time.Duration;

/**
 * The reference server of the official socket.io-protocol test suite, on AgentWire: port 3000, path
 * {@code /socket.io/}, pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1e6, connectTimeout 1 s, no connection
 * state recovery. On connect (to {@code /} or {@code /custom}) it emits {@code auth} with the handshake's auth
 * payload; {@code message} is answered with {@code message-back} and the same arguments, {@code message-with-ack}
 * with an acknowledgement of the same arguments.
 *
 * <pre>java -cp server/target/agentwire.jar io.agentwire.transport.socketio.EchoServer [port]</pre>
 */
public final class EchoServer implements AutoCloseable {
    /** The suite's settings. */
    public static final SocketIoConfig CONFIG = new SocketIoConfig("echo",
            EngineIoConfig.DEFAULTS.withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200)).withMaxPayload(1_000_000),
            Duration.ofSeconds(1), SocketIoRecovery.DISABLED);

    private final Node node = new Node(new MemoryBroker(NodeConfig.DEFAULT.history()), null, NodeConfig.DEFAULT);
    private final NettyServer server;
    private final int port;

    private EchoServer(Transport transport, String host, int port) {
        SocketIoServer io = SocketIoServer.create(node, CONFIG);
        install(io.sockets());
        install(io.namespace("/custom"));
        Routes routes = io.install(Routes.builder(), request -> new Authenticator.Accepted(Principal.ANONYMOUS)).build();
        server = new NettyServer(transport, ServerConfig.of(host, port).withMaxFrameBytes(1_000_000), routes);
        this.port = server.start();
    }

    /** Starts the echo server on {@code host:port} (0: an ephemeral port). */
    public static EchoServer start(Transport transport, String host, int port) {
        return new EchoServer(transport, host, port);
    }

    public int port() {
        return port;
    }

    private static void install(Namespace ns) {
        ns.onConnection(socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", spread(args)));
            socket.on("message-with-ack", (args, ack) -> ack.send(spread(args)));
        });
    }

    private static Object[] spread(com.fasterxml.jackson.databind.node.ArrayNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) out[i] = args.get(i);
        return out;
    }

    @Override
    public void close() {
        server.close();
        node.close();
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        Transport transport = Transport.create();
        EchoServer echo = start(transport, "0.0.0.0", port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            echo.close();
            transport.close();
        }, "echo-shutdown"));
        System.out.println("Socket.IO echo server on port " + echo.port() + ", path /socket.io/");
        Thread.currentThread().join();
    }
}
