package io.agentwire.dialect.tracking;

/**
 * The two message vocabularies a dashboard may speak, chosen per connection by the path it connects to
 * (docs/tracking.md, "Two vocabularies"). Both are fed by the same tracking state; only the messages differ.
 */
public enum Vocabulary {
    /** Spec 002's document: {@code active_sessions}, {@code agent_status}, {@code agent_collaboration}, … */
    SPEC_002,
    /**
     * What AgentCraft's own server sends and its front end components read: {@code session_started},
     * {@code agent_status_update}, {@code phase_update}, {@code crew_output}, {@code session_completed},
     * {@code crewai_log}, … ({@link AgentCraftWire}).
     */
    AGENTCRAFT
}
