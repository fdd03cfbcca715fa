package io.agentwire.server;

import io.agentwire.agent.remote.AgentLink;
import io.agentwire.agent.remote.RemoteAgents;
import io.agentwire.agent.remote.RemoteAgentsConfig;
import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Principal;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.WebSocketEndpoint;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote agents' WebSocket endpoint ({@code agentwire.agents.remote.path}, {@code /agents}) on the main HTTP
 * port: the upgrade needs the API key ({@link ApiKeyCheck}: {@code X-API-Key} or {@code Authorization: Bearer},
 * 401 otherwise); each connection is handed to {@link RemoteAgents} as an {@link AgentLink}, gets a
 * {@code heartbeat} every interval and is closed (1001 {@code heartbeat timeout}) after the timeout of silence.
 */
final class RemoteAgentsEndpoint implements WsHandler {
    private static final Logger log = LoggerFactory.getLogger(RemoteAgentsEndpoint.class);
    static final Principal AGENT = new Principal("remote-agent", java.util.Set.of("agent"), java.util.Map.of(), false);

    private final RemoteAgents agents;
    private final RemoteAgentsConfig config;
    private final ConcurrentHashMap<String, Link> links = new ConcurrentHashMap<>();

    RemoteAgentsEndpoint(RemoteAgents agents) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.config = agents.config();
    }

    /** The endpoint, refusing upgrades without the API key. */
    WebSocketEndpoint endpoint(ApiKeyCheck keys) {
        Authenticator accepted = request -> new Authenticator.Accepted(AGENT);
        return WebSocketEndpoint.at(config.path(), accepted, this).withUpgradeCheck(request -> keys.check(
                new HttpRequestData("GET", request.path(), request.query(), request.headers(), new byte[0],
                        Objects.requireNonNullElse(request.remoteAddress(), ""))));
    }

    /** Open agent connections (registered or not). */
    int connections() {
        return links.size();
    }

    /** One agent connection: the link the registry sees, and its heartbeat timers. */
    private final class Link implements AgentLink {
        final WsConnection ws;
        ScheduledFuture<?> heartbeat;
        ScheduledFuture<?> liveness;

        Link(WsConnection ws) {
            this.ws = ws;
        }

        @Override public String id() { return ws.id(); }

        @Override public boolean send(String text) { return ws.send(text); }

        void start() {
            long interval = config.heartbeatInterval().toMillis();
            long check = Math.clamp(Math.min(interval, config.heartbeatTimeout().toMillis()) / 4, 10, 5_000);
            heartbeat = ws.executor().scheduleAtFixedRate(() -> ws.send(heartbeatMessage()), interval, interval,
                    TimeUnit.MILLISECONDS);
            liveness = ws.executor().scheduleAtFixedRate(this::checkLiveness, check, check, TimeUnit.MILLISECONDS);
        }

        private void checkLiveness() {
            long silent = System.nanoTime() - ws.lastReadNanos();
            if (silent > config.heartbeatTimeout().toNanos() && ws.isOpen()) {
                log.info("closing remote agent connection {}: silent for {} ms", ws.id(),
                        TimeUnit.NANOSECONDS.toMillis(silent));
                ws.close(DisconnectReason.HEARTBEAT_TIMEOUT);
            }
        }

        void stop() {
            if (heartbeat != null) heartbeat.cancel(false);
            if (liveness != null) liveness.cancel(false);
        }
    }

    private static String heartbeatMessage() {
        return "{\"type\":\"heartbeat\",\"ts\":" + System.currentTimeMillis() + "}";
    }

    @Override
    public void onOpen(WsConnection ws) {
        Link link = new Link(ws);
        links.put(ws.id(), link);
        link.start();
        log.debug("remote agent connection {} from {}", ws.id(), ws.request().remoteAddress());
    }

    @Override
    public void onText(WsConnection ws, String text) {
        Link link = links.get(ws.id());
        if (link != null) agents.onText(link, text);
    }

    @Override
    public void onClose(WsConnection ws, int code, String reason) {
        Link link = links.remove(ws.id());
        if (link == null) return;
        link.stop();
        agents.closed(link);
        log.debug("remote agent connection {} closed: {} {}", ws.id(), code, reason);
    }
}
