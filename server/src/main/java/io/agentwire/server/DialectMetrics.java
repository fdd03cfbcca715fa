package io.agentwire.server;

import io.agentwire.core.WireMeters;
import io.agentwire.dialect.envelope.EnvelopeDialect;
import io.agentwire.dialect.rooms.RoomsDialect;
import io.agentwire.dialect.tracking.TrackingDialect;

/**
 * Every dialect's metrics, registered in this one place (until each dialect declares its own through the dialect
 * SPI): its {@link WireMeters} (messages, deliveries and their latency, resumes, rate limits, slow consumers, errors
 * by code, all tagged {@code dialect}) and its gauges.
 */
final class DialectMetrics {
    private final Metrics metrics;

    DialectMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The wire counters of {@code dialect}. */
    WireMeters wire(String dialect) {
        return new WireMeters(metrics, dialect);
    }

    void envelope(EnvelopeDialect envelope) {
        metrics.gauge("agentwire.envelope.connections", "open envelope WebSocket connections", envelope::connections);
    }

    void tracking(TrackingDialect tracking) {
        metrics.gauge("agentwire.tracking.connections", "open tracking (dashboard) WebSocket connections",
                tracking::connections);
        metrics.gauge("agentwire.tracking.sessions", "sessions the tracking dialect tracks", tracking::trackedSessions);
    }

    void rooms(RoomsDialect rooms) {
        metrics.gauge("agentwire.rooms.connections", "open rooms (Socket.IO /ws) connections on this node",
                rooms::connections);
        metrics.counter("agentwire.rooms.events.published", "server events published to the rooms", rooms::published);
    }
}
