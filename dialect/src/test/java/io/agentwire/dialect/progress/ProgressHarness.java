package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentRuntime;
import io.agentwire.agent.AgentRuntimeConfig;
import io.agentwire.agent.DemoAgent;
import io.agentwire.agent.DemoAgentConfig;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Broker;
import io.agentwire.core.EventLog;
import io.agentwire.core.Presence;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.SessionStore;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.LocalPresence;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Meters;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Principal;
import io.agentwire.core.Sessions;
import io.agentwire.core.ToolCatalog;
import io.agentwire.dialect.spi.CountingMeters;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.redis.RedisCluster;
import io.agentwire.redis.RedisConfig;
import io.agentwire.store.SqliteStore;
import io.agentwire.store.SqliteStoreConfig;
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
 * A real server for the progress tests: the dialect created by its provider from a {@link DialectContext} built as
 * the server builds it — a node over the memory broker and the SQLite event log (with the provider's durable
 * prefixes), sessions, the agent runtime with the scripted demo agent (25 ms steps) and the scripted toolsmith
 * stand-in, an optional {@link ToolCatalog} — its listener served by Netty on 127.0.0.1, port 0. Also runs the Node
 * harness ({@code src/test/js/progress}) against it.
 */
final class ProgressHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path JS = Path.of("src", "test", "js", "progress");
    static final String TOKEN = "good-token";

    /** Where the node's streams and sessions live: SQLite and the memory broker, or a Redis cluster. */
    record Backend(Broker broker, EventLog eventLog, SessionStore sessions, Optional<RecoveryRecords> records,
                   Presence presence, AutoCloseable closer) {
        static Backend sqlite(Path dataDir) {
            SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(dataDir)
                    .withSynchronous(SqliteStoreConfig.Synchronous.NORMAL));
            return new Backend(new MemoryBroker(HistoryConfig.DEFAULT), store.eventLog(), store.sessions(),
                    Optional.empty(), new LocalPresence(), store);
        }

        static Backend redis(String uri) {
            RedisCluster c = RedisCluster.open(RedisConfig.of(uri), HistoryConfig.DEFAULT);
            return new Backend(c.broker(), c.eventLog(), c.sessions(), Optional.of(c.recoveryRecords()), c.presence(), c);
        }
    }

    final Transport transport;
    final Backend backend;
    final Node node;
    final Sessions sessions;
    final AgentRuntime agents;
    final ProgressDialect dialect;
    /** What the dialect counted ({@code dialect=progress}). */
    final CountingMeters meters = new CountingMeters();
    final NettyServer server;
    final int port;

    ProgressHarness(Path dataDir, ProgressSettings settings, String defaultAgent, Optional<ToolCatalog> catalog) {
        this(Backend.sqlite(dataDir), dataDir, settings, defaultAgent, catalog);
    }

    ProgressHarness(Backend backend, Path dataDir, ProgressSettings settings, String defaultAgent,
                    Optional<ToolCatalog> catalog) {
        this.backend = backend;
        transport = Transport.create(1);
        ProgressProvider provider = new ProgressProvider();
        List<String> durable = new ArrayList<>(List.of("session:"));
        durable.addAll(provider.durableStreams(settings));
        node = new Node(backend.broker(), backend.eventLog(), new NodeConfig(HistoryConfig.DEFAULT, 100_000, durable));
        sessions = new Sessions(backend.sessions(), Duration.ofHours(1), Duration.ofMillis(100), Clock.systemUTC());
        List<Agent> all = List.of(new DemoAgent(new DemoAgentConfig(Duration.ofMillis(25), true, Duration.ofSeconds(30))),
                new ScriptedToolsmith(), new FailingAgent(), new ConfirmingAgent());
        agents = new AgentRuntime(node, all, defaultAgent, AgentRuntimeConfig.defaults());
        Map<Class<?>, Object> services = new LinkedHashMap<>();
        catalog.ifPresent(c -> services.put(ToolCatalog.class, c));
        services.put(Meters.class, meters);
        Authenticator jwt = request -> request.bearerToken().filter(TOKEN::equals)
                .<Authenticator.Result>map(t -> new Authenticator.Accepted(Principal.user("alice")))
                .orElse(new Authenticator.Rejected(ErrorCode.AUTH_FAILED, "bad token"));
        DialectContext context = new DialectContext(node, sessions, agents, defaultAgent, backend.presence(),
                backend.records(), jwt,
                token -> token == null ? new Authenticator.Rejected(ErrorCode.AUTH_MISSING, "no token")
                        : TOKEN.equals(token) ? new Authenticator.Accepted(Principal.user("alice"))
                        : new Authenticator.Rejected(ErrorCode.AUTH_FAILED, "bad token"),
                request -> null, Clock.systemUTC(), true, false, dataDir, services);
        dialect = (ProgressDialect) provider.create(context, settings);
        dialect.start();
        Listener l = dialect.listeners().get(0);
        Routes.Builder routes = Routes.builder();
        l.routes().accept(routes);
        server = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0).withMaxFrameBytes(l.maxFrameBytes())
                .withMaxHttpBodyBytes(l.maxHttpBodyBytes()), routes.build());
        port = server.start();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Runs a harness scenario with the socket.io-client version {@code v} ("454" or "48"); its JSON. */
    JsonNode js(String scenario, String v, Map<String, Object> params) throws IOException, InterruptedException {
        return node("harness.mjs", scenario, v, params, Duration.ofSeconds(40));
    }

    JsonNode node(String script, String scenario, String v, Map<String, Object> params, Duration limit)
            throws IOException, InterruptedException {
        for (String pkg : List.of("sio454", "sio48", "playwright-core")) {
            if (!Files.isDirectory(JS.resolve("node_modules").resolve(pkg))) {
                throw new AssertionError(pkg + " is not installed in " + JS.toAbsolutePath() + " for the progress tests: "
                        + "run `npm ci --prefix dialect/src/test/js/progress` (Node.js 20+) first");
            }
        }
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("base", base());
        all.put("v", v);
        all.put("timeoutMs", limit.toMillis() - 2_000);
        Process p = new ProcessBuilder("node", script, scenario, JSON.writeValueAsString(all))
                .directory(JS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError(scenario + " did not finish");
            String text = new String(out, StandardCharsets.UTF_8).trim();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            JsonNode result = JSON.readTree(last);
            if (result == null || result.has("error") || p.exitValue() != 0) {
                throw new AssertionError(scenario + " (socket.io-client " + v + ") failed: " + text);
            }
            return result;
        } finally {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        server.close();
        dialect.close();
        agents.shutdown(Duration.ofSeconds(2));
        sessions.close();
        node.broker().close();
        try {
            backend.closer().close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        transport.close();
    }
}
