package io.agentwire.agent.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.RunRequest;
import io.agentwire.agent.Task;
import io.agentwire.core.ErrorCode;

/** The messages the server sends remote agents (docs/remote-agents.md), encoded as JSON text. */
final class Outbound {
    private Outbound() { }

    static ObjectNode message(String type) {
        return AgentWire.JSON.createObjectNode().put("type", type);
    }

    static String encode(JsonNode node) {
        try {
            return AgentWire.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("can not encode " + node.path("type"), e);
        }
    }

    static ObjectNode registered(String name, RemoteAgentsConfig config) {
        ObjectNode m = message("registered").put("name", name);
        m.put("grace_ms", config.grace().toMillis());
        m.put("heartbeat_interval_ms", config.heartbeatInterval().toMillis());
        m.put("heartbeat_timeout_ms", config.heartbeatTimeout().toMillis());
        m.putArray("runs");
        return m;
    }

    static String runStart(RunRequest r) {
        ObjectNode m = message("run.start").put("run_id", r.runId()).put("session_id", r.sessionId());
        m.put("agent", r.agent());
        if (r.text() != null) m.put("text", r.text());
        ArrayNode tasks = m.putArray("tasks");
        for (Task t : r.tasks()) tasks.addObject().put("task_id", t.taskId()).put("description", t.description());
        m.set("metadata", r.metadata());
        m.put("principal", r.principal().id());
        return encode(m);
    }

    static String runResponse(String runId, long n, String stepId, JsonNode content) {
        ObjectNode m = message("run.response").put("run_id", runId).put("n", n).put("step_id", stepId);
        m.set("content", content);
        return encode(m);
    }

    static String runCancel(String runId) {
        return encode(message("run.cancel").put("run_id", runId));
    }

    /** {@code seq} null: the message was handled but published no event of its own (a confirmation). */
    static String ack(String runId, long n, Long seq) {
        ObjectNode m = message("ack").put("run_id", runId).put("n", n);
        if (seq != null) m.put("seq", seq);
        return encode(m);
    }

    static String error(ErrorCode code, String field, String text, String runId, Long n) {
        ObjectNode m = message("error").put("code", code.name()).put("message", text);
        if (field != null) m.put("field", field);
        if (runId != null) m.put("run_id", runId);
        if (n != null) m.put("n", n);
        return encode(m);
    }

    static String heartbeat(long ts) {
        return encode(message("heartbeat").put("ts", ts));
    }
}
