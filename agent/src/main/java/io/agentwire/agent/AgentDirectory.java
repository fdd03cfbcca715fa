package io.agentwire.agent;

/**
 * Agents that come and go while the server runs (remote agents, io.agentwire.agent.remote): the
 * {@link AgentRuntime} asks a directory for a name that is not among its fixed agents.
 */
@FunctionalInterface
public interface AgentDirectory {
    /** Knows no agent. */
    AgentDirectory NONE = name -> null;

    /** The agent available under {@code name} now, or null. Must not block: it is called from event loops. */
    Agent find(String name);
}
