package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One agent's latest status, as {@code agent_status} sends it and {@code session_state.active_agents} lists it.
 * Immutable once built: {@code metadata} is never modified after construction.
 */
record AgentEntry(String agentId, String agentName, AgentStatus status, int progress, String message,
                  ObjectNode metadata, long timeMillis) {

    static AgentEntry of(AgentStatusReport r, long nowMillis) {
        ObjectNode meta = r.metadata().deepCopy();
        if (r.sessionId() != null && !meta.has("session_id")) meta.put("session_id", r.sessionId());
        if (!meta.has("source")) meta.put("source", "api");
        return new AgentEntry(r.agentId(), r.agentName(), r.status(), r.progress(), r.message(), meta, nowMillis);
    }

    /** The entry of {@code session_state.state.active_agents}. */
    ObjectNode toActiveAgent() {
        ObjectNode a = TrackingJson.NODES.objectNode()
                .put("agent_id", agentId)
                .put("agent_name", agentName)
                .put("status", status.name())
                .put("progress", progress)
                .put("current_task", message)
                .put("timestamp", TrackingJson.iso(timeMillis));
        a.set("details", metadata.deepCopy());
        return a;
    }
}
