package io.agentwire.dialect.envelope;

import io.agentwire.core.AgentGateway;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Node;
import io.agentwire.core.Sessions;
import io.agentwire.transport.WebSocketEndpoint;

/**
 * The {@code envelope} dialect (specs/envelope.md): JSON envelopes in WebSocket text frames, sessions with
 * sequenced, resumable streams, heartbeats, runs of agents.
 */
public final class EnvelopeDialect implements AutoCloseable {
    private final Node node;
    private final Sessions sessions;
    private final AgentGateway agents;
    private final EnvelopeConfig config;

    public EnvelopeDialect(Node node, Sessions sessions, AgentGateway agents, EnvelopeConfig config) {
        this.node = node;
        this.sessions = sessions;
        this.agents = agents;
        this.config = config;
    }

    public EnvelopeConfig config() { return config; }

    /** The WebSocket endpoint to register on a server, authenticating connections with {@code authenticator}. */
    public WebSocketEndpoint endpoint(Authenticator authenticator) {
        throw new UnsupportedOperationException("being written");
    }

    /** Open connections of this dialect. */
    public int connections() { return 0; }

    /** Closes every connection with 1001 and stops the heartbeat timers. */
    @Override
    public void close() { }
}
