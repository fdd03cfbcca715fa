package io.agentwire.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.EventSink;
import io.agentwire.core.Publication;
import io.agentwire.redis.RunLeases;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster mode: the agent runtime's sink. It passes every event to the node and keeps this node's run leases
 * (a run is in progress from its first event to its {@code pipeline.completed}), so that if this node dies another
 * one ends its runs as interrupted (docs/cluster.md).
 */
final class RunLeaseSink implements EventSink {
    private final EventSink node;
    private final RunLeases leases;

    RunLeaseSink(EventSink node, RunLeases leases) {
        this.node = node;
        this.leases = leases;
    }

    @Override
    public CompletableFuture<Publication> publish(String stream, JsonNode data) {
        String session = data.path("session_id").asText(null);
        String run = data.path("metadata").path("run_id").asText(null);
        if (session == null || run == null) return node.publish(stream, data);
        if (!"pipeline.completed".equals(data.path("event").asText())) {
            leases.started(session, run);
            return node.publish(stream, data);
        }
        return node.publish(stream, data).whenComplete((p, e) -> leases.ended(session, run));
    }
}
