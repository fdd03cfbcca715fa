package io.agentwire.server;

import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentRuntime;
import io.agentwire.agent.mcp.McpStartException;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.agent.model.OpenAiChatClient;
import io.agentwire.agent.pipeline.PipelineAgent;
import io.agentwire.agent.DemoAgent;
import io.agentwire.agent.RunMeters;
import io.agentwire.agent.remote.RemoteAgents;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Presence;
import io.agentwire.core.Principal;
import io.agentwire.core.Sessions;
import io.agentwire.dialect.envelope.EnvelopeDialect;
import io.agentwire.dialect.rooms.RoomsDialect;
import io.agentwire.dialect.tracking.TrackingDialect;
import io.agentwire.store.UnfinishedRun;
import io.agentwire.transport.HealthRoutes;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import io.agentwire.transport.WebSocketEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AgentWire server: wires transport, store, broker, node, sessions, agents and the dialects from an
 * {@link AgentWireConfig} and serves them: the HTTP port ({@code /ws}, {@code /healthz}, {@code /readyz},
 * {@code /metrics}, the tracking API under {@code /api/v1/tracking/}, the rooms API) and, unless disabled, the
 * tracking port ({@code /ws/agent-tracking/{client_id}}) and the rooms port (Socket.IO at {@code /socket.io/},
 * namespace {@code /ws}, and the rooms API) — one listener for both on 8000 by default, two when configured on
 * different ports.
 *
 * <pre>{@code
 * try (AgentWireServer server = new AgentWireServer(config)) {
 *     int port = server.start();   // port 0 in the config: an ephemeral port
 *     ...
 * }                                // close(): stop accepting, close connections (1001), stop agents, flush, close
 * }</pre>
 *
 * {@link #start()} either starts everything or closes what it opened and throws ({@link StartupException} for an
 * operator's problem: port taken, data directory in use). {@link #close()} is idempotent. Neither may be called
 * from an event loop.
 */
public final class AgentWireServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentWireServer.class);
    static final Duration ACK_FLUSH_INTERVAL = Duration.ofSeconds(1);
    static final Duration AGENT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    static final Duration PURGE_EVERY = Duration.ofHours(1);
    static final Duration FIRST_PURGE_AFTER = Duration.ofMinutes(1);
    /** How long the rooms dialect may take to read its project grants at startup. */
    static final Duration GRANTS_LOAD_TIMEOUT = Duration.ofSeconds(30);
    /** Streams kept in the store beside the sessions: the rooms dialect's project grants. */
    static final String ACCESS_STREAMS = "access:";

    private final AgentWireConfig config;
    private final CloseStack opened = new CloseStack();
    private NettyServer http;
    private NettyServer trackingServer;
    private NettyServer roomsServer;
    private boolean started;
    private boolean closed;
    private McpToolbox tools;
    private OpenAiChatClient model;

    public AgentWireServer(AgentWireConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public AgentWireConfig config() {
        return config;
    }

    /**
     * Opens everything and starts listening; returns the bound port.
     *
     * @throws StartupException if the port can not be bound or the store can not be opened (nothing stays open)
     * @throws IllegalStateException if already started or closed
     */
    public synchronized int start() {
        if (started || closed) throw new IllegalStateException(closed ? "server closed" : "server already started");
        started = true;
        long t0 = System.nanoTime();
        try {
            DevCredentials creds = DevCredentials.resolve(config, Clock.systemUTC());
            Transport transport = opened.push("transport", Transport.create());
            Backend backend = opened.push("store", Backend.open(config));
            List<String> durable = new ArrayList<>(NodeConfig.DEFAULT.durablePrefixes());
            durable.add(ACCESS_STREAMS);
            Node node = opened.push("node", new Node(backend.broker(), backend.eventLog(),
                    new NodeConfig(config.history(), NodeConfig.DEFAULT.recoveryBufferLimit(), durable)));
            backend.attach(node);
            Presence presence = backend.presence();
            Metrics metrics = opened.push("metrics", new Metrics());
            DialectMetrics dialectMetrics = new DialectMetrics(metrics);
            Sessions sessions = opened.push("sessions", new Sessions(backend.sessionStore(), config.sessions().ttl(),
                    ACK_FLUSH_INTERVAL, Clock.systemUTC()));
            opened.push("session purge", new SessionPurger(sessions, FIRST_PURGE_AFTER, PURGE_EVERY));
            TrackingDialect tracking = config.tracking().enabled()
                    ? opened.push("tracking dialect", new TrackingDialect(node, config.tracking().dialect())) : null;
            RemoteAgents remoteAgents = opened.push("remote agents",
                    new RemoteAgents(config.remoteAgents(), AgentWireConfig.Agents.KNOWN));
            AgentRuntime agents = new AgentRuntime(backend.agentSink(node), inProcessAgents(),
                    config.agents().defaultAgent(), config.agents().runtime());
            backend.attachAgents(agents);
            agents.meters(new RunMeters(metrics));
            opened.onClose("agents", () -> agents.shutdown(AGENT_SHUTDOWN_GRACE));
            if (config.remoteAgents().enabled()) agents.useDirectory(remoteAgents);
            endInterruptedRuns(backend, agents);
            EnvelopeDialect envelope = opened.push("envelope dialect",
                    new EnvelopeDialect(node, sessions, agents, config.envelope(),
                            dialectMetrics.wire("envelope")));
            JwtAuthenticator authenticator = new JwtAuthenticator(new JwtAuthenticator.Settings(creds.jwtSecret(),
                    config.auth().jwtJwks(), config.auth().jwtIssuer(), config.auth().jwtAudience(), config.dev()),
                    Clock.systemUTC());
            RoomsDialect rooms = config.rooms().enabled() ? opened.push("rooms dialect", new RoomsDialect(node,
                    presence, authenticator::check, config.rooms().dialect(), Clock.systemUTC(),
                    backend.recoveryRecords().orElse(null))) : null;
            if (rooms != null) loadGrants(rooms, config.cluster().isPresent());
            ApiKeyCheck apiKeys = new ApiKeyCheck(creds.apiKey());
            RoomsApi roomsApi = rooms == null ? null : new RoomsApi(rooms, apiKeys, Clock.systemUTC());
            dialectMetrics.envelope(envelope);
            metrics.gauge("agentwire.agent.runs.active", "agent runs in progress", agents::activeRunCount);
            backend.metrics(metrics);
            pipelineMetrics(metrics);
            if (tracking != null) dialectMetrics.tracking(tracking);
            if (rooms != null) dialectMetrics.rooms(rooms);
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            backend.checks(checks);
            if (rooms != null) checks.put("rooms grants", rooms::grantsReady);
            Routes.Builder mainRoutes = HealthRoutes.install(Routes.builder(), checks)
                    .get("/metrics", metrics.handler())
                    .get("/version", VersionInfo.handler(dialectNames()))
                    .webSocket(envelope.endpoint(authenticator));
            if (tracking != null) new TrackingApi(tracking, apiKeys).install(mainRoutes);
            if (roomsApi != null) roomsApi.install(mainRoutes);
            if (config.remoteAgents().enabled()) {
                RemoteAgentsEndpoint remoteEndpoint = new RemoteAgentsEndpoint(remoteAgents);
                mainRoutes.webSocket(remoteEndpoint.endpoint(apiKeys));
                metrics.gauge("agentwire.agents.remote.connections", "open remote agent WebSocket connections",
                        remoteEndpoint::connections);
                metrics.gauge("agentwire.agents.remote.connected", "remote agents registered and connected",
                        remoteAgents::connected);
                metrics.gauge("agentwire.agents.remote.away", "remote agents disconnected, within their grace period",
                        remoteAgents::away);
            }
            NettyServer server = new NettyServer(transport, config.http(), mainRoutes.build());
            metrics.gauge("agentwire.http.connections", "open HTTP and WebSocket connections",
                    server::connectionCount);
            int port = listen(server);
            http = opened.push("http server", server);
            listenSidePorts(transport, tracking, authenticator, rooms, roomsApi);
            StartupBanner.Rooms roomsLine = rooms == null ? null : new StartupBanner.Rooms(
                    config.rooms().listener().host(), roomsServer.port(), config.rooms().dialect().namespace(),
                    config.rooms().dialect().socketIo().engineIo().path());
            StartupBanner banner = new StartupBanner(VersionInfo.version(), config.dev(), config.dataDir(),
                    backend instanceof Backend.Embedded e ? e.store().databaseFile() : null, transport.kind(), config.http().host(), port, config.envelope().path(),
                    config.tracking().listener().host(), trackingServer == null ? -1 : trackingServer.port(),
                    roomsLine, (System.nanoTime() - t0) / 1_000_000);
            log.info(banner.text(backend.clusterDescription()));
            if (config.dev()) log.warn(banner.devText(creds));
            if (config.remoteAgents().enabled()) {
                log.info("remote agents: ws://{}:{}{} (API key required, grace {} ms)", config.http().host(), port,
                        config.remoteAgents().path(), config.remoteAgents().grace().toMillis());
            }
            return port;
        } catch (RuntimeException | Error e) {
            opened.closeAll();
            closed = true;
            throw e;
        }
    }

    /** The bound port; -1 before {@link #start()} and after {@link #close()}. */
    public synchronized int port() {
        return http == null || closed ? -1 : http.port();
    }

    /** The bound port of the tracking dialect; -1 when it is disabled, before {@link #start()}, after {@link #close()}. */
    public synchronized int trackingPort() {
        return trackingServer == null || closed ? -1 : trackingServer.port();
    }

    /** The bound port of the rooms dialect; -1 when it is disabled, before {@link #start()}, after {@link #close()}. */
    public synchronized int roomsPort() {
        return roomsServer == null || closed ? -1 : roomsServer.port();
    }

    /**
     * The ports of the tracking and rooms dialects (spec 002 and 004 both document 8000): one listener serving both
     * when they are configured on the same host and port (their paths do not overlap: {@code /ws/agent-tracking/…}
     * and the Socket.IO path), else one each. Each dialect keeps its own message limit on a shared listener.
     */
    private void listenSidePorts(Transport transport, TrackingDialect tracking, Authenticator jwt, RoomsDialect rooms,
                                 RoomsApi roomsApi) {
        if (config.roomsShareTrackingListener()) {
            ServerConfig t = config.tracking().listener();
            ServerConfig r = config.rooms().listener();
            ServerConfig shared = r.withMaxFrameBytes(Math.max(t.maxFrameBytes(), r.maxFrameBytes()))
                    .withMaxHttpBodyBytes(Math.max(t.maxHttpBodyBytes(), r.maxHttpBodyBytes()));
            trackingServer = roomsServer = startListener("tracking and rooms server", transport, shared,
                    roomsApi.install(rooms.install(Routes.builder().webSocket(trackingEndpoint(tracking, jwt)))));
            return;
        }
        if (tracking != null) {
            trackingServer = startListener("tracking server", transport, config.tracking().listener(),
                    Routes.builder().webSocket(trackingEndpoint(tracking, jwt)));
        }
        if (rooms != null) {
            roomsServer = startListener("rooms server", transport, config.rooms().listener(),
                    roomsApi.install(rooms.install(Routes.builder())));
        }
    }

    /**
     * The tracking dialect's endpoint. Spec 002's dashboards send no credentials: they are accepted as the anonymous
     * principal unless {@code agentwire.tracking.require-token} asks for the envelope dialect's JWT.
     */
    private WebSocketEndpoint trackingEndpoint(TrackingDialect tracking, Authenticator jwt) {
        Authenticator anyone = request -> new Authenticator.Accepted(Principal.ANONYMOUS);
        Authenticator auth = config.tracking().requireToken() ? jwt : anyone;
        return tracking.endpoint(auth).withMaxMessageBytes(config.tracking().dialect().maxPayloadBytes());
    }

    private NettyServer startListener(String name, Transport transport, ServerConfig listener, Routes.Builder routes) {
        NettyServer server = new NettyServer(transport, listener, routes.build());
        listen(server);
        return opened.push(name, server);
    }

    /** Reads the project grants before clients connect (from the store: a blocking wait, not on an event loop). */
    /**
     * Reads the rooms' project grants before serving. On one node a store that can not be read is a start-up
     * error; in cluster mode Redis may come later: the grants keep trying and readiness says when they are in.
     */
    private static void loadGrants(RoomsDialect rooms, boolean cluster) {
        try {
            rooms.start().get(GRANTS_LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while reading the rooms' project grants", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException | CompletionException e) {
            if (!cluster) throw new StartupException("can not read the rooms' project grants: " + e.getMessage(), e);
            log.warn("rooms: the project grants can not be read yet ({}); retrying in the background, /readyz reports "
                    + "not ready until they are in", e.getMessage());
        }
    }

    private static int listen(NettyServer server) {
        try {
            return server.start();
        } catch (IllegalStateException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /**
     * Stops in reverse order of start: stop accepting and close connections (1001), close the dialect, stop the
     * agents (up to 5 s), flush sessions, close the node and the store, stop the event loops. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (opened.isEmpty()) return;
        log.info("AgentWire stopping");
        boolean clean = opened.closeAll();
        log.info(clean ? "AgentWire stopped" : "AgentWire stopped (with errors, see above)");
    }

    /** The dialects this server serves, for {@code /version}. */
    private List<String> dialectNames() {
        List<String> names = new ArrayList<>(List.of("envelope"));
        if (config.tracking().enabled()) names.add("tracking");
        if (config.rooms().enabled()) names.add("rooms");
        return names;
    }

    /** Runs the previous process left unfinished (it was killed) end as interrupted, before clients connect. */
    private static void endInterruptedRuns(Backend backend, AgentRuntime agents) {
        for (UnfinishedRun run : backend.unfinishedRuns()) {
            agents.endInterrupted(run.sessionId(), run.runId());
        }
    }

    /**
     * The in-process agents: {@code demo}, and {@code pipeline} when a model is configured, with the tools of the
     * configured MCP servers, started here (and stopped after the agents). An MCP server that can not start stops
     * the start-up with a {@link StartupException} naming it.
     */
    private List<Agent> inProcessAgents() {
        List<Agent> list = new ArrayList<>(List.of(new DemoAgent(config.agents().demo())));
        PipelineSettings settings = config.pipeline();
        if (settings.model().isEmpty()) {
            if (!settings.mcpServers().isEmpty()) {
                log.warn("agentwire.mcp.servers is set but no model is configured (agentwire.model): the MCP servers are not started");
            }
            return list;
        }
        try {
            tools = opened.push("mcp servers", settings.mcpServers().isEmpty() ? McpToolbox.empty()
                    : McpToolbox.start(settings.mcpServers(), settings.mcpStartTimeout(), settings.mcpCallTimeout()));
        } catch (McpStartException e) {
            throw new StartupException(e.getMessage(), e);
        }
        model = new OpenAiChatClient(settings.model().get());
        list.add(new PipelineAgent(new ModelCalls(model), tools, settings.pipeline()));
        log.info("pipeline agent ready: model {} at {}, {} MCP tools from {} servers", settings.model().get().model(),
                settings.model().get().baseUrl(), tools.names().size(), settings.mcpServers().size());
        return list;
    }

    private void pipelineMetrics(Metrics metrics) {
        if (model == null) return;
        metrics.counter("agentwire.model.requests", "requests sent to the model (every attempt)", model::attempts);
        metrics.counter("agentwire.model.failures", "model requests that failed (HTTP error, timeout, broken stream)",
                model::failures);
        metrics.counter("agentwire.model.tokens.prompt", "prompt tokens the model reported (usage)", model::promptTokens);
        metrics.counter("agentwire.model.tokens.completion", "completion tokens the model reported (usage)",
                model::completionTokens);
        metrics.counter("agentwire.mcp.tool.calls", "MCP tool calls", tools::calls);
        metrics.counter("agentwire.mcp.tool.failures", "MCP tool calls that failed", tools::failedCalls);
        metrics.gauge("agentwire.mcp.servers.alive", "configured MCP servers whose connection is up", tools::serversAlive);
    }
}
