package io.agentwire.server;

import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentRuntime;
import io.agentwire.agent.mcp.McpStartException;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.model.ChatTextModel;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.agent.model.OpenAiChatClient;
import io.agentwire.agent.pipeline.PipelineAgent;
import io.agentwire.agent.toolsmith.ToolsmithAgent;
import io.agentwire.core.ToolCatalog;
import io.agentwire.agent.DemoAgent;
import io.agentwire.agent.RunMeters;
import io.agentwire.agent.remote.RemoteAgents;
import io.agentwire.core.Authenticator;
import io.agentwire.core.FatalErrors;
import io.agentwire.core.Meters;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Sessions;
import io.agentwire.core.TextModel;
import io.agentwire.dialect.spi.BannerLine;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectStartException;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.server.console.ConsoleSettings;
import io.agentwire.server.console.ConsoleSources;
import io.agentwire.server.console.WebConsole;
import io.agentwire.store.UnfinishedRun;
import io.agentwire.transport.HealthRoutes;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AgentWire server. Its table of contents: open the store and broker ({@link Backend}), the {@link Node} and
 * the sessions; start the agents; create every enabled dialect found on the class path ({@link DialectSettings})
 * from one {@link DialectContext}; bind their listeners grouped by host and port ({@link Listeners}) beside the
 * main HTTP port's own routes ({@code /healthz}, {@code /readyz}, {@code /metrics}, the remote agents' endpoint, the
 * web console, the dialects' HTTP APIs); log the banner.
 *
 * <pre>{@code
 * try (AgentWireServer server = new AgentWireServer(config)) {
 *     int port = server.start();   // port 0 in the config: an ephemeral port
 *     ...
 * }                                // close(): stop accepting, close connections (1001), stop agents, flush, close
 * }</pre>
 *
 * {@link #start()} either starts everything or closes what it opened and throws ({@link StartupException} for an
 * operator's problem: port taken, data directory in use, two dialects on one path). {@link #close()} is
 * idempotent. Neither may be called from an event loop.
 */
public final class AgentWireServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentWireServer.class);
    static final Duration ACK_FLUSH_INTERVAL = Duration.ofSeconds(1);
    static final Duration AGENT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    static final Duration PURGE_EVERY = Duration.ofHours(1);
    static final Duration FIRST_PURGE_AFTER = Duration.ofMinutes(1);

    private final AgentWireConfig config;
    private final CloseStack opened = new CloseStack();
    private final Map<String, Dialect> dialects = new LinkedHashMap<>();
    private NettyServer http;
    private Listeners listeners;
    private Map<Listeners.Group, Integer> ports;
    private StartupBanner banner;
    private boolean started;
    private boolean closed;
    private McpToolbox tools;
    private OpenAiChatClient model;
    private ToolsmithAgent toolsmith;

    public AgentWireServer(AgentWireConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public AgentWireConfig config() {
        return config;
    }

    /**
     * Opens everything and starts listening; returns the bound port.
     *
     * @throws StartupException if a port can not be bound, the store can not be opened, a dialect can not start or
     *     two dialects claim one path on one address (nothing stays open)
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
            Node node = opened.push("node", new Node(backend.broker(), backend.eventLog(),
                    new NodeConfig(config.history(), NodeConfig.DEFAULT.recoveryBufferLimit(), durableStreams())));
            backend.attach(node);
            Metrics metrics = opened.push("metrics", new Metrics());
            Sessions sessions = opened.push("sessions", new Sessions(backend.sessionStore(), config.sessions().ttl(),
                    ACK_FLUSH_INTERVAL, Clock.systemUTC(), config.sessions().limits()));
            opened.push("session purge", new SessionPurger(sessions, FIRST_PURGE_AFTER, PURGE_EVERY));
            RemoteAgents remoteAgents = opened.push("remote agents",
                    new RemoteAgents(config.remoteAgents(), AgentWireConfig.Agents.KNOWN));
            AgentRuntime agents = new AgentRuntime(backend.agentSink(node), inProcessAgents(backend),
                    config.agents().defaultAgent(), config.agents().runtime());
            backend.attachAgents(agents);
            agents.meters(new RunMeters(metrics));
            opened.onClose("agents", () -> agents.shutdown(AGENT_SHUTDOWN_GRACE));
            if (config.remoteAgents().enabled()) agents.useDirectory(remoteAgents);
            endInterruptedRuns(backend, agents);
            JwtAuthenticator jwt = new JwtAuthenticator(new JwtAuthenticator.Settings(creds.jwtSecret(),
                    config.auth().jwtJwks(), config.auth().jwtIssuer(), config.auth().jwtAudience(), config.dev()),
                    Clock.systemUTC());
            ApiKeyCheck apiKeys = new ApiKeyCheck(creds.apiKey());
            // Meters: where the dialects count their wire traffic (WireMeters), through the context's services.
            DialectContext context = new DialectContext(node, sessions, agents, config.agents().defaultAgent(),
                    backend.presence(), backend.recoveryRecords(), jwt, jwt::check, apiKeys, Clock.systemUTC(),
                    config.dev(), config.cluster().isPresent(), config.dataDir(), services(metrics));
            createDialects(context);

            metrics.gauge("agentwire.agent.runs.active", "agent runs in progress", agents::activeRunCount);
            backend.metrics(metrics);
            pipelineMetrics(metrics);
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            backend.checks(checks);
            dialects.values().forEach(d -> {
                d.metrics(metrics);
                checks.putAll(d.readiness());
            });

            Listeners listeners = new Listeners(config.http());
            Routes.Builder own = HealthRoutes.install(Routes.builder(), checks).get("/metrics", metrics.handler())
                    .get("/version", VersionInfo.handler(List.copyOf(dialects.keySet())));
            listeners.main().add("the server", own);
            if (config.remoteAgents().enabled()) {
                listeners.main().add("agentwire.agents.remote", remoteAgentsEndpoint(remoteAgents, apiKeys, metrics));
            }
            Optional<WebConsole> console =
                    webConsole(creds, jwt, apiKeys, node, agents, remoteAgents, checks, metrics, backend);
            console.ifPresent(c -> listeners.main().add("agentwire.console", c.routes()));
            dialects.forEach((name, d) -> {
                Routes.Builder api = Routes.builder();
                d.api(api);
                listeners.main().add("agentwire." + name + " (HTTP API)", api);
                d.listeners().forEach(l -> listeners.add(name, l));
            });
            dialects.values().forEach(AgentWireServer::startDialect);
            listen(transport, listeners, metrics);
            this.listeners = listeners;

            List<BannerLine> lines = new ArrayList<>();
            dialects.forEach((name, d) -> lines.addAll(d.banner(listeners.bound(ports, name), creds.sampleToken().orElse(null))));
            banner = new StartupBanner(VersionInfo.version(), config.dev(), config.dataDir(),
                    backend instanceof Backend.Embedded e ? e.store().databaseFile() : null, transport.kind(),
                    config.http().host(), http.port(), lines, (System.nanoTime() - t0) / 1_000_000);
            log.info(banner.text(backend.clusterDescription()));
            if (!FatalErrors.jvmExitsOnOom()) {
                log.warn("the JVM was started without -XX:+ExitOnOutOfMemoryError: an OutOfMemoryError that no thread "
                        + "reports would leave the server running half-dead; see docs/limits.md");
            }
            if (config.dev()) log.warn(banner.devText(creds));
            if (console.isPresent()) {
                log.info("web console: http://{}:{}{} (log in with the API key or an admin JWT)", config.http().host(),
                        http.port(), config.console().path());
            }
            if (config.remoteAgents().enabled()) {
                log.info("remote agents: ws://{}:{}{} (API key required, grace {} ms)", config.http().host(),
                        http.port(), config.remoteAgents().path(), config.remoteAgents().grace().toMillis());
            }
            return http.port();
        } catch (RuntimeException | Error e) {
            opened.closeAll();
            closed = true;
            throw e;
        }
    }

    /** The stream prefixes kept durable: the core's ({@code session:}) and those the enabled dialects ask for. */
    private List<String> durableStreams() {
        List<String> durable = new ArrayList<>(NodeConfig.DEFAULT.durablePrefixes());
        config.dialects().stream().filter(DialectSettings::enabled).forEach(d -> durable.addAll(d.durableStreams()));
        return durable;
    }

    private void createDialects(DialectContext context) {
        for (DialectSettings d : config.dialects()) {
            if (!d.enabled()) continue;
            try {
                dialects.put(d.name(), opened.push(d.name() + " dialect", d.create(context)));
            } catch (DialectStartException e) {
                throw new StartupException(d.name() + ": " + e.getMessage(), e);
            }
        }
    }

    private static void startDialect(Dialect d) {
        try {
            d.start();
        } catch (DialectStartException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** Binds every address, the main port first; returns where each one listens. */
    private void listen(Transport transport, Listeners listeners, Metrics metrics) {
        ports = new LinkedHashMap<>();
        for (Listeners.Group g : listeners.groups()) {
            NettyServer server = new NettyServer(transport, g.config(config.http()), g.routes.build());
            if (g.main) metrics.gauge("agentwire.http.connections", "open HTTP and WebSocket connections",
                    server::connectionCount);
            ports.put(g, listen(server));
            opened.push(g.main ? "http server" : String.join(" and ", g.owners) + " server", server);
            if (g.main) http = server;
        }
    }

    /**
     * The web console (docs/console.md), when enabled and an admin credential exists (the API key, generated in dev
     * mode); operators log in with the key or a JWT whose roles hold the admin role.
     */
    private Optional<WebConsole> webConsole(DevCredentials creds, JwtAuthenticator jwt, ApiKeyCheck apiKeys,
            Node node, AgentRuntime agents, RemoteAgents remoteAgents, Map<String, BooleanSupplier> checks,
            Metrics metrics, Backend backend) {
        ConsoleSettings settings = config.console();
        if (!settings.enabled() || creds.apiKey().isEmpty()) {
            if (settings.enabled()) log.info("web console off: it needs an admin credential (agentwire.auth.api-key) or --dev");
            return Optional.empty();
        }
        Map<String, ConsoleView> views = new LinkedHashMap<>();
        dialects.forEach((name, d) -> views.put(name, d.console()));
        String cluster = backend.clusterDescription() != null ? backend.clusterDescription()
                : backend instanceof Backend.Embedded e ? "one node, embedded SQLite store " + e.store().databaseFile()
                : "one node";
        ConsoleSources sources = new ConsoleSources(views, node, agents, agents::agentNames,
                config.remoteAgents().enabled() ? remoteAgents::registered : TreeMap::new, checks,
                metrics::total, cluster);
        String role = settings.adminRole();
        return Optional.of(opened.push("web console", new WebConsole(settings, sources, credential -> {
            if (apiKeys.matches(credential)) return Optional.of("api-key");
            return jwt.check(credential) instanceof Authenticator.Accepted a
                    && a.principal().roles().contains(role) ? Optional.of(a.principal().id())
                    : Optional.empty();
        }, Clock.systemUTC())));
    }

    private static Routes.Builder remoteAgentsEndpoint(RemoteAgents remoteAgents, ApiKeyCheck apiKeys, Metrics metrics) {
        RemoteAgentsEndpoint endpoint = new RemoteAgentsEndpoint(remoteAgents);
        Routes.Builder routes = Routes.builder().webSocket(endpoint.endpoint(apiKeys));
        metrics.gauge("agentwire.agents.remote.connections", "open remote agent WebSocket connections",
                endpoint::connections);
        metrics.gauge("agentwire.agents.remote.connected", "remote agents registered and connected",
                remoteAgents::connected);
        metrics.gauge("agentwire.agents.remote.away", "remote agents disconnected, within their grace period",
                remoteAgents::away);
        return routes;
    }

    /** The startup banner once started (what the log shows), null before. */
    synchronized StartupBanner banner() {
        return banner;
    }

    /** The bound port; -1 before {@link #start()} and after {@link #close()}. */
    public synchronized int port() {
        return http == null || closed ? -1 : http.port();
    }

    /**
     * The bound port of a dialect's listener (the first one it declared); -1 when the dialect is not served, before
     * {@link #start()}, after {@link #close()}.
     */
    public synchronized int port(String dialect) {
        Dialect d = dialects.get(dialect);
        if (d == null || listeners == null || closed || d.listeners().isEmpty()) return -1;
        return listeners.bound(ports, dialect).port(d.listeners().get(0).address());
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


    /** Runs the previous process left unfinished (it was killed) end as interrupted, before clients connect. */
    private static void endInterruptedRuns(Backend backend, AgentRuntime agents) {
        for (UnfinishedRun run : backend.unfinishedRuns()) {
            agents.endInterrupted(run.sessionId(), run.runId());
        }
    }

    /**
     * The in-process agents: {@code demo}, and {@code pipeline} and {@code toolsmith} when a model is configured, with the tools of the
     * configured MCP servers, started here (and stopped after the agents). An MCP server that can not start stops
     * the start-up with a {@link StartupException} naming it.
     */
    private List<Agent> inProcessAgents(Backend backend) {
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
        ModelCalls calls = new ModelCalls(model);
        toolsmith = opened.push("toolsmith agent", backend.toolStore() // cluster mode: the registry shared in Redis
                .map(store -> new ToolsmithAgent(calls, settings.toolsmith(), store))
                .orElseGet(() -> new ToolsmithAgent(calls, settings.toolsmith())));
        list.add(toolsmith);
        return list;
    }

    /** What the dialects find in their context: core's {@link Meters} (their wire counters), the model, the toolsmith's registry and the MCP servers' tools if any. */
    private Map<Class<?>, Object> services(Metrics metrics) {
        Map<Class<?>, Object> services = new LinkedHashMap<>();
        services.put(Meters.class, metrics);
        if (model != null) services.put(TextModel.class, new ChatTextModel(model)); // the configured model
        if (toolsmith != null) services.put(ToolCatalog.class, toolsmith.catalog()); // the toolsmith's registry
        if (tools != null && !tools.isEmpty()) services.put(io.agentwire.core.McpTools.class, tools.port()); // MCP servers' tools
        if (!config.pipeline().models().isEmpty()) { // agentwire.models: named models, e.g. a control loop's per phase
            services.put(io.agentwire.core.TextModels.class, new io.agentwire.agent.model.ChatTextModels(config.pipeline().models()));
        }
        return services;
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
