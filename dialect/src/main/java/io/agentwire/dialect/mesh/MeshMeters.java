package io.agentwire.dialect.mesh;

import io.agentwire.core.Meters;
import io.agentwire.core.WireMeters;
import io.agentwire.dialect.spi.DialectContext;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What mesh counts besides the Socket.IO packets its server counts ({@link WireMeters}, {@code dialect="mesh"}):
 * requests by family ({@code agentwire.mesh.requests{family}}: agents, channels, tasks, memory, control_loop, tools
 * …) and refusals by spec 003's code ({@code agentwire.errors{code}}; {@code RATE_LIMITED} also as rate-limited).
 */
final class MeshMeters {
    static final String DIALECT = "mesh";

    private final Meters meters;
    private final WireMeters wire;
    private final ConcurrentHashMap<String, Meters.Counter> families = new ConcurrentHashMap<>();

    MeshMeters(DialectContext context) {
        this.meters = context.service(Meters.class).orElse(Meters.NONE);
        this.wire = context.wireMeters(DIALECT);
    }

    WireMeters wire() {
        return wire;
    }

    /** A request of {@code family} dispatched (answered or refused). */
    void request(String family) {
        families.computeIfAbsent(family, f -> meters.counter("agentwire.mesh.requests",
                "mesh requests dispatched, by family", "dialect", DIALECT, "family", f)).increment();
    }

    /** A request refused with {@code code} (the family's error event and the {@code error} event). */
    void refused(String code) {
        if ("RATE_LIMITED".equals(code)) wire.rateLimited();
        wire.error(code);
    }
}
