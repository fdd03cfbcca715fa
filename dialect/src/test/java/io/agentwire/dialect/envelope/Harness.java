package io.agentwire.dialect.envelope;

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
import io.agentwire.store.SqliteStore;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import io.agentwire.transport.WriterLimits;
import io.agentwire.transport.testing.SkippingClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real envelope server for tests: Netty on 127.0.0.1 (port 0), the SQLite store in a temp dir, the memory
 * broker, sessions, the agent runtime with the scripted demo agent. Clients say who they are with the
 * {@code user} query parameter (a test authenticator; the server module tests the JWT one).
 */
final class Harness implements AutoCloseable {
    record Settings(EnvelopeConfig envelope, HistoryConfig history, Duration sessionTtl, DemoAgentConfig demo,
                    WriterLimits writer) {
        static Settings defaults() {
            return new Settings(
                    new EnvelopeConfig("/ws", Duration.ofSeconds(30), Duration.ofSeconds(60), 1 << 20, 50, 100, "demo"),
                    HistoryConfig.DEFAULT, Duration.ofHours(24),
                    new DemoAgentConfig(Duration.ofMillis(5), true, Duration.ofSeconds(30)),
                    new WriterLimits(25_000, 32L << 20, Duration.ofSeconds(2)));
        }

        Settings withEnvelope(EnvelopeConfig e) { return new Settings(e, history, sessionTtl, demo, writer); }
        Settings withHistory(HistoryConfig h) { return new Settings(envelope, h, sessionTtl, demo, writer); }
        Settings withSessionTtl(Duration t) { return new Settings(envelope, history, t, demo, writer); }
        Settings withDemo(DemoAgentConfig d) { return new Settings(envelope, history, sessionTtl, d, writer); }
        Settings withWriter(WriterLimits w) { return new Settings(envelope, history, sessionTtl, demo, w); }
    }

    static final Authenticator TEST_AUTH = request -> request.queryParam("user")
            .<Authenticator.Result>map(u -> new Authenticator.Accepted(Principal.user(u)))
            .orElse(new Authenticator.Rejected(ErrorCode.AUTH_MISSING, "test server: pass ?user=NAME"));

    final Transport transport;
    final SqliteStore store;
    final Node node;
    final Sessions sessions;
    /** What the sessions read the time from: {@code clock.skip(d)} ages them without waiting. */
    final SkippingClock clock = new SkippingClock();
    final AgentRuntime agents;
    final EnvelopeDialect dialect;
    final NettyServer server;
    final int port;

    Harness(Path dataDir, Settings s) {
        transport = Transport.create(1);
        store = SqliteStore.open(SqliteStoreConfig.defaults(dataDir).withSynchronous(SqliteStoreConfig.Synchronous.NORMAL));
        node = new Node(new MemoryBroker(s.history()), store.eventLog(), new NodeConfig(s.history(), 100_000, List.of("session:")));
        sessions = new Sessions(store.sessions(), s.sessionTtl(), Duration.ofMillis(100), clock);
        agents = new AgentRuntime(node, List.of(new DemoAgent(s.demo())), DemoAgent.NAME, AgentRuntimeConfig.defaults());
        dialect = new EnvelopeDialect(node, sessions, agents, s.envelope());
        Routes routes = Routes.builder().webSocket(dialect.endpoint(TEST_AUTH)).build();
        server = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0)
                .withMaxFrameBytes(s.envelope().maxPayloadBytes()).withWriter(s.writer()), routes);
        port = server.start();
    }

    URI uri(String user) {
        return URI.create("ws://127.0.0.1:" + port + "/ws?user=" + user);
    }

    @Override
    public void close() {
        server.close();
        dialect.close();
        agents.shutdown(Duration.ofSeconds(2));
        sessions.close();
        node.broker().close();
        store.close();
        transport.close();
    }
}
