package io.agentwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.Authenticator;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import io.agentwire.transport.socketio.Socket;
import io.agentwire.transport.socketio.SocketIoConfig;
import io.agentwire.transport.socketio.SocketIoRecovery;
import io.agentwire.transport.socketio.SocketIoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Socket.IO connection state recovery in cluster mode, with the official socket.io-client: the client's node dies
 * (it writes nothing more: no state saved at the disconnection), the client comes back on another node and recovers
 * its id, rooms, data and the events it missed, exactly once and in order.
 */
@Tag("integration")
class SocketIoFailoverTest {
    private static final Path HARNESS = Path.of("..", "transport", "src", "test", "js");
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServer redis;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        if (redis != null) redis.close();
    }

    /** Records that stop being written once the node "dies". */
    static final class Dying implements RecoveryRecords {
        final RecoveryRecords shared;
        volatile boolean dead;

        Dying(RecoveryRecords shared) { this.shared = shared; }

        @Override public void put(String scope, String key, JsonNode record, Duration ttl) {
            if (!dead) shared.put(scope, key, record, ttl);
        }

        @Override public CompletableFuture<JsonNode> take(String scope, String key) {
            return dead ? CompletableFuture.completedFuture(null) : shared.take(scope, key);
        }
    }

    private record App(NettyServer server, int port, Dying records) { }

    private App node(Transport transport) {
        RedisCluster cluster = RedisCluster.open(RedisConfig.of(redis.uri()), HistoryConfig.DEFAULT);
        toClose.add(cluster);
        Node node = new Node(cluster.broker(), cluster.eventLog(), NodeConfig.DEFAULT);
        toClose.add(node);
        Dying records = new Dying(cluster.recoveryRecords());
        SocketIoServer io = SocketIoServer.create(node, SocketIoConfig.DEFAULTS
                .withRecovery(SocketIoRecovery.within(Duration.ofSeconds(30))), records);
        toClose.add(io);
        NettyServer[] self = new NettyServer[1];
        io.sockets().onConnection(s -> handlers(io, s, records, self));
        Routes routes = io.install(Routes.builder(), r -> new Authenticator.Accepted(Principal.ANONYMOUS)).build();
        NettyServer server = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0), routes);
        self[0] = server;
        int port = server.start();
        toClose.add(server);
        return new App(server, port, records);
    }

    private static void handlers(SocketIoServer io, Socket s, Dying records, NettyServer[] self) {
        s.on("set-data", (args, ack) -> {
            s.data().set("note", args.get(0));
            ack.send("ok");
        });
        s.on("join", (args, ack) -> {
            s.join(args.get(0).asText());
            ack.send("joined");
        });
        s.on("tick", (args, ack) -> io.emit("tick", args.get(0)).thenRun(() -> ack.send("published")));
        s.on("club", (args, ack) -> io.to("club").emit("club-msg", args.get(0)).thenRun(() -> ack.send("published")));
        s.on("whoami", (args, ack) -> ack.send(s.id(), s.recovered(), s.data(), JsonNodeFactory.instance.arrayNode()
                .addAll(s.rooms().stream().sorted().map(JsonNodeFactory.instance::textNode).toList())));
        s.on("crash", (args, ack) -> {
            records.dead = true; // from now on this node writes nothing, as if killed
            Thread.ofVirtual().start(self[0]::close);
        });
    }

    @Test
    void aClientWhoseNodeDiedRecoversOnAnotherNode() throws Exception {
        redis = RedisServer.start();
        Transport transport = Transport.create();
        toClose.add(transport);
        App a = node(transport);
        App b = node(transport);
        JsonNode r = harness("failover", a.port(), b.port());
        assertThat(r.path("reason").asText()).isEqualTo("transport close");
        assertThat(r.path("recovered").asBoolean()).as("recovered on the other node: " + r).isTrue();
        assertThat(r.path("sameId").asBoolean()).isTrue();
        assertThat(r.path("ticks").toString()).isEqualTo("[1,2,3,4,5]");
        assertThat(r.path("club").toString()).isEqualTo("[\"for members\"]");
        JsonNode who = r.path("who");
        assertThat(who.get(1).asBoolean()).isTrue();
        assertThat(who.get(2).path("note").asText()).isEqualTo("remember me");
        assertThat(who.get(3).toString()).contains("\"club\"");
    }

    private static JsonNode harness(String scenario, int port, int otherPort) throws Exception {
        if (!Files.isDirectory(HARNESS.resolve("node_modules").resolve("socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + HARNESS.toAbsolutePath()
                    + ": run `npm ci --prefix transport/src/test/js` (Node.js 20+) first");
        }
        ProcessBuilder pb = new ProcessBuilder("node", "harness.mjs", scenario, "http://127.0.0.1:" + port)
                .directory(HARNESS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OTHER_BASE", "http://127.0.0.1:" + otherPort);
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("harness " + scenario + " did not finish");
            String text = new String(out, StandardCharsets.UTF_8).trim();
            JsonNode result = new ObjectMapper().readTree(text.substring(text.lastIndexOf('\n') + 1));
            if (result.has("error") || p.exitValue() != 0) throw new AssertionError("harness " + scenario + " failed: " + text);
            return result;
        } finally {
            p.destroyForcibly();
        }
    }
}
