package io.agentwire.server;

import io.agentwire.core.RunEvent;
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
        RunEvent event = RunEvent.of(data);
        String run = event == null ? null : event.runId();
        if (run == null || event.sessionId().isEmpty()) return node.publish(stream, data);
        String session = event.sessionId();
        if (!event.completed()) {
            leases.started(session, run);
            return node.publish(stream, data);
        }
        return node.publish(stream, data).whenComplete((p, e) -> leases.ended(session, run));
    }
}
