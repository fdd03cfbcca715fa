package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.agentwire.core.WireMeters;
import io.agentwire.dialect.envelope.EnvelopeConfig;
import io.agentwire.dialect.envelope.EnvelopeDialect;
import io.agentwire.dialect.spi.CountingMeters;
import io.agentwire.store.SqliteStore;
import io.agentwire.store.SqliteStoreConfig;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A real server for the tracking tests: one Netty transport with two listeners on 127.0.0.1 — the envelope
 * dialect (port 0; users say who they are with {@code ?user=}) and the tracking dialect (its own port 0, no
 * credentials, as spec 002) — over the SQLite store, the memory broker, sessions and the agent runtime with the
 * scripted demo agent (5 ms steps, plan confirmation on).
 */
final class TrackingHarness implements AutoCloseable {
    static final Authenticator USERS = request -> request.queryParam("user")
            .<Authenticator.Result>map(u -> new Authenticator.Accepted(Principal.user(u)))
            .orElse(new Authenticator.Rejected(ErrorCode.AUTH_MISSING, "test server: pass ?user=NAME"));
    static final Authenticator ANYONE = request -> new Authenticator.Accepted(Principal.ANONYMOUS);
    static final String CLIENT = "client_1700000000000_k3j9x2";

    final Transport transport;
    final SqliteStore store;
    final Node node;
    final Sessions sessions;
    final AgentRuntime agents;
    final EnvelopeDialect envelope;
    final TrackingDialect tracking;
    /** What the tracking dialect counted ({@code dialect=tracking}). */
    final CountingMeters meters = new CountingMeters();
    final NettyServer main;
    final NettyServer trackingServer;
    final int mainPort;
    final int trackingPort;

    TrackingHarness(Path dataDir, TrackingConfig config) {
        this(dataDir, config, Clock.systemUTC());
    }

    /** With the time the tracking dialect reads (retention, timestamps) from {@code clock}. */
    TrackingHarness(Path dataDir, TrackingConfig config, Clock clock) {
        transport = Transport.create(1);
        store = SqliteStore.open(SqliteStoreConfig.defaults(dataDir).withSynchronous(SqliteStoreConfig.Synchronous.NORMAL));
        node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), store.eventLog(),
                new NodeConfig(HistoryConfig.DEFAULT, 100_000, List.of("session:", TrackingJournal.PREFIX)));
        sessions = new Sessions(store.sessions(), Duration.ofHours(1), Duration.ofMillis(100), Clock.systemUTC());
        agents = new AgentRuntime(node, List.of(new DemoAgent(new DemoAgentConfig(Duration.ofMillis(5), true,
                Duration.ofSeconds(30)))), DemoAgent.NAME, AgentRuntimeConfig.defaults());
        envelope = new EnvelopeDialect(node, sessions, agents, EnvelopeConfig.DEFAULT);
        tracking = new TrackingDialect(node, config, clock, new WireMeters(meters, "tracking"));
        main = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0),
                Routes.builder().webSocket(envelope.endpoint(USERS)).build());
        mainPort = main.start();
        trackingServer = new NettyServer(transport, ServerConfig.of("127.0.0.1", 0)
                .withMaxFrameBytes(config.maxPayloadBytes()), Routes.builder().webSocket(tracking.endpoint(ANYONE)).webSocket(tracking.agentCraftEndpoint(ANYONE)).build());
        trackingPort = trackingServer.start();
    }

    URI dashboardUri(String clientId) {
        return URI.create("ws://127.0.0.1:" + trackingPort + TrackingDialect.PATH_PREFIX + clientId);
    }

    /** AgentCraft's real path, with an id as its AgentChat component makes them. */
    URI agentCraftUri(String clientId) {
        return URI.create("ws://127.0.0.1:" + trackingPort + TrackingDialect.AGENTCRAFT_PATH_PREFIX + clientId);
    }

    /** {@code name{dialect=tracking}} as counted so far. */
    long count(String name) {
        return meters.count(name, "dialect", "tracking");
    }

    /** {@code name{dialect=tracking}} once it reached {@code atLeast} (or what it is after 30 s). */
    long awaitCount(String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(name) < atLeast && System.nanoTime() < deadline) Thread.sleep(10);
        return count(name);
    }

    /** {@code agentwire.errors{dialect=tracking,code}} as counted so far. */
    long errors(String code) {
        return meters.count("agentwire.errors", "dialect", "tracking", "code", code);
    }

    WsClient dashboard() {
        return WsClient.connect(dashboardUri(CLIENT));
    }

    WsClient user(String name) {
        return WsClient.connect(URI.create("ws://127.0.0.1:" + mainPort + "/ws?user=" + name));
    }

    /** Creates a session on a new user connection; returns its id. */
    static String createSession(WsClient user) throws InterruptedException {
        user.awaitEvent("system.connected");
        user.send(WsClient.event("user.create_session"));
        return user.awaitEvent("agent.session_created").path("content").path("session_id").asText();
    }

    /** Sends {@code user.message}; {@code confirm} false skips the plan confirmation. */
    static void message(WsClient user, String sid, String text, boolean confirm) {
        var m = WsClient.event("user.message").put("session_id", sid);
        m.putObject("content").put("text", text);
        m.putObject("metadata").put("confirm", confirm);
        user.send(m);
    }

    static void approve(WsClient user, String sid, JsonNode confirm) {
        var m = WsClient.event("user.response").put("session_id", sid).put("step_id", confirm.path("step_id").asText());
        m.putObject("content").put("approved", true);
        user.send(m);
    }

    @Override
    public void close() {
        trackingServer.close();
        main.close();
        tracking.close();
        envelope.close();
        agents.shutdown(Duration.ofSeconds(2));
        sessions.close();
        node.broker().close();
        store.close();
        transport.close();
    }
}
