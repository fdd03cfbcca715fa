package io.agentwire.agent.remote;

/**
 * One remote agent's connection as {@link RemoteAgents} sees it (the server adapts its WebSocket connection to
 * it). Thread-safe; never blocks.
 */
public interface AgentLink {

    /** A unique id of the connection, for logs and lookups. */
    String id();

    /** Queues one text frame; false if the connection is closing or closed. */
    boolean send(String text);
}
