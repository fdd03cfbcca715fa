package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agentwire.agent.AgentRuntime;
import io.agentwire.agent.AgentRuntimeConfig;
import io.agentwire.agent.DemoAgent;
import io.agentwire.agent.DemoAgentConfig;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.core.Sessions;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.core.LocalPresence;
import io.agentwire.redis.RedisCluster;
import io.agentwire.redis.RedisConfig;
import io.agentwire.store.SqliteStore;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The mesh dialect served as the server serves a provider (its reference.conf, the SPI's context, its listener and
 * API on real ports) over SQLite, and {@code src/test/js/mesh/harness.mjs} (the official socket.io-client) to drive
 * it. {@link #restart()} closes everything and opens it again on the same data directory.
 */
final class MeshHarness implements AutoCloseable {
    static final Path DIR = Path.of("src", "test", "js", "mesh");
    static final String API_KEY = "test-api-key";
    static final String DOMAIN_KEY = "test-domain-key";
    static final String JWT = "good-jwt";

    private final Path dataDir;
    private final Map<String, Object> overrides;
    private Transport transport;
    private SqliteStore store;
    private Node node;
    private Sessions sessions;
    private AgentRuntime agents;
    private Dialect dialect;
    private NettyServer mesh;
    private NettyServer api;
    int meshPort;
    int apiPort;

    private final Map<Class<?>, Object> services;
    private final String redisUri;
    private RedisCluster cluster;

    MeshHarness(Path dataDir, Map<String, Object> overrides) {
        this(dataDir, overrides, Map.of());
    }

    /** @param services what the server provides through {@code DialectContext.service} (e.g. a TextModel) */
    MeshHarness(Path dataDir, Map<String, Object> overrides, Map<Class<?>, Object> services) {
        this(dataDir, overrides, services, null);
    }

    /** @param redisUri a real redis-server: the node is one of a cluster (broker, log, sessions, presence, records) */
    MeshHarness(Path dataDir, Map<String, Object> overrides, Map<Class<?>, Object> services, String redisUri) {
        this.redisUri = redisUri;
        this.dataDir = dataDir;
        this.overrides = overrides;
        this.services = services;
        open();
    }

    private void open() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("agentwire.mesh.port", 0);
        o.put("agentwire.mesh.host", "127.0.0.1");
        o.put("agentwire.mesh.domain-key", DOMAIN_KEY);
        o.putAll(overrides);
        Config config = ConfigFactory.parseMap(o).withFallback(ConfigFactory.parseResources(new MeshProvider().referenceConf())).resolve();
        MeshProvider provider = new MeshProvider();
        MeshSettings settings = provider.settings(new Settings(config, "agentwire.mesh"));
        transport = Transport.create(1);
        List<String> durable = new ArrayList<>(List.of("session:"));
        durable.addAll(provider.durableStreams(settings));
        NodeConfig nodeConfig = new NodeConfig(HistoryConfig.DEFAULT, 100_000, durable);
        if (redisUri != null) {
            cluster = RedisCluster.open(RedisConfig.of(redisUri), HistoryConfig.DEFAULT);
            node = new Node(cluster.broker(), cluster.eventLog(), nodeConfig);
            sessions = new Sessions(cluster.sessions(), Duration.ofMinutes(5), Duration.ofMillis(100), Clock.systemUTC());
        } else {
            store = SqliteStore.open(SqliteStoreConfig.defaults(dataDir).withSynchronous(SqliteStoreConfig.Synchronous.NORMAL));
            node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), store.eventLog(), nodeConfig);
            sessions = new Sessions(store.sessions(), Duration.ofMinutes(5), Duration.ofMillis(100), Clock.systemUTC());
        }
        agents = new AgentRuntime(node, List.of(new DemoAgent(new DemoAgentConfig(Duration.ofMillis(5), true, Duration.ofSeconds(30)))),
                DemoAgent.NAME, AgentRuntimeConfig.defaults());
        DialectContext ctx = new DialectContext(node, sessions, agents, DemoAgent.NAME,
                cluster != null ? cluster.presence() : new LocalPresence(),
                cluster != null ? Optional.of(cluster.recoveryRecords()) : Optional.empty(),
                DialectContext.ANYONE,
                token -> JWT.equals(token) ? new Authenticator.Accepted(Principal.user("jwt-user"))
                        : new Authenticator.Rejected(ErrorCode.AUTH_FAILED, "bad token"),
                request -> API_KEY.equals(request.header("x-api-key").orElse(null)) ? null
                        : HttpReply.error(401, "AUTH_FAILED", "the API key is not valid"),
                Clock.systemUTC(), false, cluster != null, dataDir, services);
        dialect = provider.create(ctx, settings);
        dialect.start();
        Listener l = dialect.listeners().get(0);
        Routes.Builder routes = Routes.builder();
        l.routes().accept(routes);
        mesh = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0).withMaxFrameBytes(l.maxFrameBytes())
                .withMaxHttpBodyBytes(Math.max(l.maxHttpBodyBytes(), 1 << 20)), routes.build());
        meshPort = mesh.start();
        Routes.Builder apiRoutes = Routes.builder();
        dialect.api(apiRoutes);
        api = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0), apiRoutes.build());
        apiPort = api.start();
    }

    /** What the web console shows of the mesh. */
    ConsoleView console() {
        return dialect.console();
    }

    void restart() {
        close();
        open();
    }

    Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base", "http://127.0.0.1:" + meshPort);
        p.put("api", "http://127.0.0.1:" + apiPort);
        p.put("apiKey", API_KEY);
        p.put("domainKey", DOMAIN_KEY);
        p.put("jwt", JWT);
        return p;
    }

    /** Runs a harness scenario; its JSON (which holds no "error"). */
    JsonNode run(String scenario, Map<String, Object> extra) throws IOException, InterruptedException {
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + DIR.toAbsolutePath()
                    + ": run `npm ci --prefix dialect/src/test/js/mesh` (Node.js 20+) first");
        }
        Map<String, Object> all = params();
        all.putAll(extra);
        all.put("timeoutMs", 40_000);
        Process p = new ProcessBuilder("node", "harness.mjs", scenario, Json.MAPPER.writeValueAsString(all))
                .directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(45, TimeUnit.SECONDS)) throw new AssertionError("harness " + scenario + " did not finish");
            String text = new String(out, StandardCharsets.UTF_8).trim();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            JsonNode result = Json.MAPPER.readTree(last);
            if (result == null || result.has("error") || p.exitValue() != 0) {
                throw new AssertionError("harness " + scenario + " failed: " + text);
            }
            return result;
        } finally {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (mesh != null) mesh.close();
        if (api != null) api.close();
        if (dialect != null) dialect.close();
        if (agents != null) agents.shutdown(Duration.ofSeconds(1));
        if (sessions != null) sessions.close();
        if (node != null) node.broker().close();
        if (store != null) store.close();
        if (cluster != null) cluster.close();
        if (transport != null) transport.close();
    }
}
