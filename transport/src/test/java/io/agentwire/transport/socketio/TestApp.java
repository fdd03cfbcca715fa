package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.agentwire.transport.engineio.EngineIoConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The server the Node.js harness talks to: namespaces {@code /}, {@code /admin}, {@code /private} and test events. */
final class TestApp implements AutoCloseable {
    final Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), null, NodeConfig.DEFAULT);
    final SocketIoServer io;
    final NettyServer server;
    final int port;

    TestApp(Transport transport, String name, SocketIoRecovery recovery) {
        SocketIoConfig config = new SocketIoConfig(name,
                EngineIoConfig.DEFAULTS.withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(5)).withMaxPayload(1000),
                Duration.ofSeconds(5), recovery);
        io = SocketIoServer.create(node, config);
        io.sockets().onConnection(this::main);
        io.namespace("/admin").onConnection(s -> s.on("echo", (args, ack) -> ack.send(spread(args))));
        io.namespace("/private")
                .use(Middleware.of(req -> "secret".equals(req.auth().path("token").asText())
                        ? ConnectReply.accept(JsonNodeFactory.instance.objectNode().put("user", "ada"))
                        : ConnectReply.reject("not authorized", JsonNodeFactory.instance.objectNode().put("reason", "bad token"))))
                .onConnection(s -> s.on("whoami", (args, ack) -> ack.send(s.data())));
        Routes routes = io.install(Routes.builder(), r -> new Authenticator.Accepted(Principal.ANONYMOUS)).build();
        server = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0), routes);
        port = server.start();
    }

    private void main(Socket s) {
        s.emit("auth", s.handshake().auth());
        s.on("echo", (args, ack) -> ack.send(spread(args)));
        s.on("ask", (args, ack) -> s.emitWithAck(Duration.ofSeconds(5), "question", args.get(0))
                .thenAccept(answer -> s.emit("answer", answer.get(0))));
        s.on("send-binary", (args, ack) -> s.emit("binary-push",
                Map.of("data", new byte[] {7, 8, 9}, "list", List.of(new byte[] {10}))));
        s.on("join", (args, ack) -> {
            s.join(args.get(0).asText());
            ack.send("joined");
        });
        s.on("room-except", (args, ack) -> io.to(args.get(0).asText()).except(args.get(1).asText())
                .emit("room-msg", args.get(2)).thenRun(() -> ack.send("sent")));
        s.on("tick", (args, ack) -> io.emit("tick", args.get(0)).thenRun(() -> ack.send("published")));
        s.on("club", (args, ack) -> io.to("club").emit("club-msg", args.get(0)).thenRun(() -> ack.send("published")));
        s.on("set-data", (args, ack) -> {
            s.data().set("note", args.get(0));
            ack.send("ok");
        });
        s.on("whoami", (args, ack) -> ack.send(s.id(), s.recovered(), s.data(), JsonNodeFactory.instance.arrayNode()
                .addAll(s.rooms().stream().sorted().map(JsonNodeFactory.instance::textNode).toList())));
        s.on("kick", (args, ack) -> s.disconnect());
    }

    static Object[] spread(ArrayNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) out[i] = args.get(i);
        return out;
    }

    @Override
    public void close() {
        server.close();
        node.close();
    }
}
