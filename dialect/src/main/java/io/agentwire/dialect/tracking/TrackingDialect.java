package io.agentwire.dialect.tracking;

import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Node;
import io.agentwire.core.WireMeters;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.WebSocketConsole;
import io.agentwire.transport.WebSocketEndpoint;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tracking} dialect (specs/002, AgentCraft agent tracking): dashboards connect to
 * {@code /ws/agent-tracking/{client_id}} and watch every session the server carries — the active sessions, each
 * agent's status and progress, collaborations, session state and logs, live. Its sources are the node's
 * {@code session:} streams (envelope runs, mapped onto agent statuses and log lines) and backends' reports
 * ({@link #report(AgentStatusReport)} and its siblings, which the server exposes over its HTTP API).
 * docs/tracking.md describes the protocol as implemented.
 *
 * <pre>{@code
 * TrackingDialect tracking = new TrackingDialect(node, TrackingConfig.DEFAULT);   // starts observing sessions
 * routes.webSocket(tracking.endpoint(authenticator));                              // on its own port (8000)
 * tracking.report(AgentStatusReport.fromJson(body));                               // from a backend
 * tracking.close();                                                                // on shutdown
 * }</pre>
 */
public final class TrackingDialect implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrackingDialect.class);
    /** The documented address's path, followed by the client id: spec 002's vocabulary. */
    public static final String PATH_PREFIX = "/ws/agent-tracking/";
    /** The path AgentCraft's front end components connect to, followed by the client id: AgentCraft's vocabulary. */
    public static final String AGENTCRAFT_PATH_PREFIX = "/api/ws/agent-tracking/";

    private final TrackingConfig config;
    private final Pattern clientIds;
    private final Tracker tracker;
    private final Clock clock;
    private final WireMeters meters;
    private final ConcurrentHashMap<String, Dashboard> connections = new ConcurrentHashMap<>();

    /** Starts observing {@code node}'s session streams at once. */
    public TrackingDialect(Node node, TrackingConfig config) {
        this(node, config, Clock.systemUTC());
    }

    /** As {@link #TrackingDialect(Node, TrackingConfig)}, reading the time (retention, timestamps) from {@code clock}. */
    public TrackingDialect(Node node, TrackingConfig config, Clock clock) {
        this(node, config, clock, WireMeters.NONE);
    }

    /** As above, counting its wire traffic on {@code meters} (messages, deliveries, rate limits, errors by code …). */
    public TrackingDialect(Node node, TrackingConfig config, Clock clock, WireMeters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.config = Objects.requireNonNull(config, "config");
        this.clientIds = config.clientIds();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tracker = new Tracker(Objects.requireNonNull(node, "node"), config, clock::millis, meters);
    }

    public TrackingConfig config() {
        return config;
    }

    /** The WebSocket endpoint for every path under {@link #PATH_PREFIX}. Spec 002 has no credentials. */
    public WebSocketEndpoint endpoint(Authenticator authenticator) {
        return WebSocketEndpoint.under(PATH_PREFIX, authenticator, new Handler());
    }

    /** The WebSocket endpoint for every path under {@link #AGENTCRAFT_PATH_PREFIX} (AgentCraft's vocabulary). */
    public WebSocketEndpoint agentCraftEndpoint(Authenticator authenticator) {
        return WebSocketEndpoint.under(AGENTCRAFT_PATH_PREFIX, authenticator, new Handler());
    }

    /** Both endpoints: the documented path and AgentCraft's. */
    public List<WebSocketEndpoint> endpoints(Authenticator authenticator) {
        return List.of(endpoint(authenticator), agentCraftEndpoint(authenticator));
    }

    /** The vocabulary of a connection to {@code path}: AgentCraft's under its path, else spec 002's. */
    static Vocabulary vocabulary(String path) {
        return path.startsWith(AGENTCRAFT_PATH_PREFIX) ? Vocabulary.AGENTCRAFT : Vocabulary.SPEC_002;
    }

    /** Sends an agent status to every dashboard; completes with how many were sent it. */
    public CompletableFuture<Integer> report(AgentStatusReport status) {
        Objects.requireNonNull(status, "status");
        return tracker.report("status", status.toJson(), b -> b.onStatus(status));
    }

    /** Sends a collaboration to every dashboard; completes with how many were sent it. */
    public CompletableFuture<Integer> report(CollaborationReport collaboration) {
        Objects.requireNonNull(collaboration, "collaboration");
        return tracker.report("collaboration", collaboration.toJson(), b -> b.onCollaboration(collaboration));
    }

    /** Keeps log lines with their session; completes with how many dashboards streaming it were sent them. */
    public CompletableFuture<Integer> report(LogReport logs) {
        Objects.requireNonNull(logs, "logs");
        return tracker.report("logs", logs.toJson(), b -> b.onLogs(logs));
    }

    /** Open dashboard connections. */
    public int connections() {
        return connections.size();
    }

    /** The web console's view: the dashboards (their client id as their room) and the operator's disconnect. */
    public ConsoleView console() {
        return WebSocketConsole.of(connections, Dashboard::ws, d -> List.of("client:" + d.clientId()), d -> 0);
    }

    /** Sessions tracked now. */
    public int trackedSessions() {
        return tracker.sessions();
    }

    /** Stops observing; closes the dashboards with 1001 (their server normally did already). */
    @Override
    public void close() {
        for (Dashboard d : connections.values()) d.close(DisconnectReason.SHUTDOWN);
        tracker.close();
    }

    /** Transport callbacks, on each connection's event loop. */
    private final class Handler implements WsHandler {
        @Override
        public void onOpen(WsConnection ws) {
            Vocabulary vocabulary = vocabulary(ws.path());
            String prefix = vocabulary == Vocabulary.AGENTCRAFT ? AGENTCRAFT_PATH_PREFIX : PATH_PREFIX;
            String clientId = ws.path().substring(Math.min(prefix.length(), ws.path().length()));
            if (!clientIds.matcher(clientId).matches()) {
                log.info("tracking connection {} refused: invalid client id '{}'", ws.id(),
                        clientId.length() > 80 ? clientId.substring(0, 80) + "…" : clientId);
                ws.close(DisconnectReason.INVALID_CLIENT_ID);
                return;
            }
            Dashboard d = new Dashboard(ws, clientId, vocabulary, config, tracker, clock::millis, meters);
            connections.put(ws.id(), d);
            d.open();
        }

        @Override
        public void onText(WsConnection ws, String text) {
            Dashboard d = connections.get(ws.id());
            if (d != null) d.onText(text);
        }

        @Override
        public void onClose(WsConnection ws, int code, String reason) {
            Dashboard d = connections.remove(ws.id());
            if (d != null) d.onClosed(code, reason);
        }
    }
}
