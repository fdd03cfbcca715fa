package io.agentwire.dialect.envelope;

import io.agentwire.core.AgentGateway;
import io.agentwire.core.Authenticator;
import io.agentwire.core.DisconnectReason;
import io.agentwire.core.Node;
import io.agentwire.core.Sessions;
import io.agentwire.core.WireMeters;
import io.agentwire.transport.WebSocketEndpoint;
import io.agentwire.transport.WsConnection;
import io.agentwire.transport.WsHandler;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.WebSocketConsole;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code envelope} dialect (specs/envelope.md): JSON envelopes in WebSocket text frames, sessions with
 * sequenced, resumable streams, heartbeats, rate limits, and runs of agents. It maps wire messages to core
 * calls ({@link Node}, {@link Sessions}, {@link AgentGateway}) and session events to wire messages, and nothing
 * else. docs/envelope.md describes the protocol as implemented.
 */
public final class EnvelopeDialect implements AutoCloseable {
    private final EnvelopeConfig config;
    private final Commands commands;
    private final Attachments attachments = new Attachments();
    private final WireMeters meters;
    private final ConcurrentHashMap<String, EnvelopeConnection> connections = new ConcurrentHashMap<>();

    public EnvelopeDialect(Node node, Sessions sessions, AgentGateway agents, EnvelopeConfig config) {
        this(node, sessions, agents, config, WireMeters.NONE);
    }

    /** With {@code meters} counting this dialect's traffic (messages, deliveries, resumes, errors …). */
    public EnvelopeDialect(Node node, Sessions sessions, AgentGateway agents, EnvelopeConfig config, WireMeters meters) {
        this.config = config;
        this.meters = meters;
        Resumer resumer = new Resumer(node, attachments, sessions.ttl(), node.config().history().size() + 10_000,
                config.replaysPerPrincipal());
        this.commands = new Commands(node, sessions, agents, resumer);
    }

    public EnvelopeConfig config() { return config; }

    /** The WebSocket endpoint to register on a server, authenticating connections with {@code authenticator}. */
    public WebSocketEndpoint endpoint(Authenticator authenticator) {
        return WebSocketEndpoint.at(config.path(), authenticator, new Handler());
    }

    /** Open connections of this dialect. */
    public int connections() { return connections.size(); }

    /**
     * The web console's view: this dialect's connections (principal, remote address, the session attached as its
     * one "room", send queue, age) and the operator's disconnect, which closes with 1001 so the client resumes.
     */
    public ConsoleView console() {
        return WebSocketConsole.of(connections, EnvelopeConnection::ws, c -> {
            SessionAttachment a = c.attachment();
            return a == null ? List.of() : List.of("session:" + a.sessionId());
        }, EnvelopeConnection::openedAtMillis);
    }

    /** Closes every connection with 1001 (server shutting down); their sessions live on. */
    @Override
    public void close() {
        for (EnvelopeConnection c : connections.values()) c.close(DisconnectReason.SHUTDOWN);
    }

    /** Transport callbacks, on each connection's event loop. */
    private final class Handler implements WsHandler {
        @Override
        public void onOpen(WsConnection ws) {
            EnvelopeConnection c = new EnvelopeConnection(ws, config, commands, attachments, meters);
            connections.put(ws.id(), c);
            c.open();
        }

        @Override
        public void onText(WsConnection ws, String text) {
            EnvelopeConnection c = connections.get(ws.id());
            if (c != null) c.onText(text);
        }

        @Override
        public void onClose(WsConnection ws, int code, String reason) {
            EnvelopeConnection c = connections.remove(ws.id());
            if (c != null) c.onClosed(code, reason);
        }
    }
}
