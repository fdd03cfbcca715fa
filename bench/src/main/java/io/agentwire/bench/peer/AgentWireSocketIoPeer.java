package io.agentwire.bench.peer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.transport.HttpLimits;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import io.agentwire.transport.engineio.EngineIoConfig;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoRecovery;
import io.agentwire.transport.socketio.SocketIoServer;

/**
 * The bench app on AgentWire's Socket.IO server (the same app every peer runs): a socket joins the room
 * {@code bench} on connect; {@code publish [args…]} broadcasts {@code m [args…]} to the room; {@code echo [args…]}
 * acknowledges its arguments. Recovery on (offsets on every broadcast), as Node's socket.io peer. Every limit at the
 * server's default, except those set by the environment variables of {@code agentwire serve}:
 * {@code AGENTWIRE_LIMITS_HTTP_MAX_CONNECTIONS}, {@code AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS} and
 * {@code AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS_PER_ADDRESS} (run.sh sets them: bench/README.md, "Limits").
 *
 * <pre>java -cp benchmarks.jar io.agentwire.bench.peer.AgentWireSocketIoPeer PORT MAX_SECONDS</pre>
 */
public final class AgentWireSocketIoPeer {
    private AgentWireSocketIoPeer() { }

    public static void main(String[] args) throws Exception {
        Running running = start(Integer.parseInt(args[0]));
        Peers.ready("agentwire socket.io (" + running.transport.kind() + ")", running.port);
        Peers.stopAfter(args, running::close);
    }

    /** Starts the app on 127.0.0.1:{@code port} (0: any free port). */
    public static Running start(int port) {
        Transport transport = Transport.create();
        Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), null, NodeConfig.DEFAULT);
        EngineIoConfig engineIo = SocketIoConfig.DEFAULTS.engineIo()
                .withMaxPendingSessions(setting("AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS",
                        EngineIoConfig.DEFAULT_MAX_PENDING_SESSIONS))
                .withMaxPendingSessionsPerAddress(setting("AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS_PER_ADDRESS",
                        EngineIoConfig.DEFAULT_MAX_PENDING_SESSIONS_PER_ADDRESS));
        HttpLimits limits = HttpLimits.DEFAULTS.withMaxConnections(
                setting("AGENTWIRE_LIMITS_HTTP_MAX_CONNECTIONS", HttpLimits.DEFAULTS.maxConnections()),
                HttpLimits.DEFAULTS.maxConnectionsPerPrincipal());
        SocketIoServer io = SocketIoServer.create(node, SocketIoConfig.DEFAULTS.withName("bench")
                .withEngineIo(engineIo).withRecovery(SocketIoRecovery.DEFAULTS));
        io.sockets().onConnection(s -> {
            s.join("bench");
            s.on("publish", (a, ack) -> io.to("bench").emit("m", spread(a)));
            s.on("echo", (a, ack) -> ack.send(spread(a)));
        });
        Routes routes = io.install(Routes.builder(), r -> new Authenticator.Accepted(Principal.ANONYMOUS)).build();
        NettyServer server = new NettyServer(transport, ServerConfig.of("127.0.0.1", port).withLimits(limits),
                routes);
        return new Running(server.start(), transport, server, node);
    }

    /** A started app: its port, and how to stop it. */
    public record Running(int port, Transport transport, NettyServer server, Node node) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            node.close();
            transport.close();
        }
    }

    /**
     * A limit from the environment variable {@code agentwire serve} reads for the same key (docs/configuration.md), so
     * that run.sh configures both AgentWire servers alike; unset: the server's default.
     */
    static int setting(String env, int fallback) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    static Object[] spread(ArrayNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) out[i] = args.get(i);
        return out;
    }
}
