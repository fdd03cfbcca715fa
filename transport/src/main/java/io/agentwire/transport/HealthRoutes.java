package io.agentwire.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready-made health routes: {@code GET /healthz} (liveness: 200 {@code {"status":"ok"}} while the process
 * answers) and {@code GET /readyz} (readiness: 200 {@code {"status":"ready","checks":{…}}} when every named check
 * is true, else 503 {@code {"status":"not_ready","checks":{…}}}). Checks run on an event loop: they must be
 * cheap and must not block (read a flag that a background probe maintains). A check that throws counts as false.
 */
public final class HealthRoutes {
    private static final Logger log = LoggerFactory.getLogger(HealthRoutes.class);
    private static final HttpReply OK = HttpReply.json(200, Map.of("status", "ok"));

    private HealthRoutes() { }

    /** Adds {@code GET /healthz} and {@code GET /readyz} with {@code checks} (in their iteration order). */
    public static Routes.Builder install(Routes.Builder routes, Map<String, BooleanSupplier> checks) {
        return routes.get("/healthz", liveness()).get("/readyz", readiness(checks));
    }

    /** The {@code /healthz} handler. */
    public static HttpHandler liveness() {
        return request -> CompletableFuture.completedFuture(OK);
    }

    /** The {@code /readyz} handler over {@code checks} (copied, order kept). */
    public static HttpHandler readiness(Map<String, BooleanSupplier> checks) {
        Map<String, BooleanSupplier> copy = new LinkedHashMap<>(Objects.requireNonNull(checks, "checks"));
        copy.forEach((name, check) -> Objects.requireNonNull(check, "check " + name));
        return request -> {
            Map<String, Boolean> results = new LinkedHashMap<>();
            boolean ready = true;
            for (Map.Entry<String, BooleanSupplier> e : copy.entrySet()) {
                boolean ok = run(e.getKey(), e.getValue());
                results.put(e.getKey(), ok);
                ready &= ok;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "ready" : "not_ready");
            body.put("checks", results);
            return CompletableFuture.completedFuture(HttpReply.json(ready ? 200 : 503, body));
        };
    }

    private static boolean run(String name, BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("readiness check {} failed", name, e);
            return false;
        }
    }
}
