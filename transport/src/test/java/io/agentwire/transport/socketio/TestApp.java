package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Broker;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The server the Node.js harness talks to: namespaces {@code /}, {@code /admin}, {@code /private} and test events. */
final class TestApp implements AutoCloseable {
    final Node node;
    final SocketIoServer io;
    final NettyServer server;
    final int port;
    /** Every socket of {@code /} by id (the latest object: a recovered socket replaces the one it took over). */
    final Map<String, Socket> byId = new ConcurrentHashMap<>();
    /** Why each socket of {@code /} disconnected, by id. */
    final Map<String, String> disconnects = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    TestApp(Transport transport, String name, SocketIoRecovery recovery) {
        this(transport, name, recovery, new MemoryBroker(HistoryConfig.DEFAULT));
    }

    TestApp(Transport transport, String name, SocketIoRecovery recovery, Broker broker) {
        node = new Node(broker, null, NodeConfig.DEFAULT);
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
        Namespace many = io.namespace("/many");
        many.onConnection(s -> s.on("all-direct", (args, ack) -> {
            int count = args.get(0).asInt();
            for (Socket each : many.sockets()) {
                for (int i = 1; i <= count; i++) each.emit("mine", each.id(), i);
            }
            ack.send(many.sockets().size());
        }));
        // a socket's handlers: up to 8 kept in one array, past that in a map; a later one for the same event replaces
        io.namespace("/handlers").onConnection(s -> {
            for (int i = 0; i < 4; i++) answer(s, "h" + i, i);
            s.on("h2", (args, ack) -> ack.send("new"));
            for (int i = 4; i < 10; i++) answer(s, "h" + i, i);
            s.on("h9", (args, ack) -> ack.send("new"));
        });
        Routes routes = io.install(Routes.builder(), r -> new Authenticator.Accepted(Principal.ANONYMOUS)).build();
        server = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0), routes);
        port = server.start();
    }

    private static void answer(Socket s, String event, int value) {
        s.on(event, (args, ack) -> ack.send(value));
    }

    private void main(Socket s) {
        byId.put(s.id(), s);
        s.onDisconnect(reason -> disconnects.put(s.id(), reason));
        s.emit("auth", s.handshake().auth());
        s.on("mixed", (args, ack) -> {
            mixed(s, args.get(0).asText(), args.get(1));
            ack.send("done");
        });
        s.on("burst", (args, ack) -> {
            burst(args.get(0).asText(), args.get(1).asInt());
            ack.send("started");
        });
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

    /**
     * Sends {@code seq} events in the order of {@code plan}: {@code ["d", n]} a direct emit to {@code target} (through
     * its socket object, connected or not), {@code ["b", n]} to everyone, {@code ["r", room, n]} to a room,
     * {@code ["x", n]} a direct emit to the caller.
     */
    private void mixed(Socket caller, String target, JsonNode plan) {
        for (JsonNode step : plan) {
            JsonNode n = step.get(step.size() - 1);
            switch (step.get(0).asText()) {
                case "d" -> byId.get(target).emit("seq", n);
                case "b" -> io.emit("seq", n);
                case "r" -> io.to(step.get(1).asText()).emit("seq", n);
                case "x" -> caller.emit("seq", n);
                default -> throw new IllegalArgumentException(step.toString());
            }
        }
    }

    /** {@code count} events "n" 1, 2, 3 … to {@code target}, one every 400 µs from a timer thread: direct, room, all. */
    private void burst(String target, int count) {
        Socket t = byId.get(target);
        AtomicInteger next = new AtomicInteger(1);
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = timer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i > count) {
                task[0].cancel(false);
                return;
            }
            switch (i % 3) {
                case 0 -> t.emit("n", i);
                case 1 -> io.to(target).emit("n", i);
                default -> io.emit("n", i);
            }
        }, 0, 400, TimeUnit.MICROSECONDS);
    }

    static Object[] spread(ArrayNode args) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) out[i] = args.get(i);
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        server.close();
        node.close();
    }
}
