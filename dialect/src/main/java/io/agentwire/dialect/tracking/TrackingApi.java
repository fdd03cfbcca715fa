package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.dialect.spi.ApiJson;
import io.agentwire.dialect.spi.ApiKeyGuard;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.InvalidFieldException;




import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The HTTP API through which backends feed the tracking dialect (spec 002's {@code broadcast_agent_status}), on
 * the main HTTP port, behind the API key:
 *
 * <pre>
 * POST /api/v1/tracking/agent-status   {agent_id, agent_name, status, progress, message?, session_id?, query?, metadata?}
 * POST /api/v1/tracking/collaboration  {primary_agent, secondary_agent, collaboration_type, reason?, session_id?, metadata?}
 * POST /api/v1/tracking/logs           {session_id, logs: [{level?, agent?, message, details?}]}
 * </pre>
 *
 * 202 {@code {"status":"accepted","dashboards":N}} (N: dashboards the message was queued to); 400
 * {@code {"error":{"code","message","field"}}} naming the bad field; 401 without a valid key; 429 when the tracker
 * is overloaded. Everything here is CPU work on the event loop; delivery completes on the tracker's thread.
 */
public final class TrackingApi {
    public static final String BASE = "/api/v1/tracking";

    private final TrackingDialect tracking;
    private final ApiKeyGuard keys;

    TrackingApi(TrackingDialect tracking, ApiKeyGuard keys) {
        this.tracking = tracking;
        this.keys = keys;
    }

    Routes.Builder install(Routes.Builder routes) {
        return routes
                .post(BASE + "/agent-status", handler(AgentStatusReport::fromJson, tracking::report))
                .post(BASE + "/collaboration", handler(CollaborationReport::fromJson, tracking::report))
                .post(BASE + "/logs", handler(LogReport::fromJson, tracking::report));
    }

    private <R> HttpHandler handler(Function<JsonNode, R> parse, Function<R, CompletableFuture<Integer>> deliver) {
        return request -> {
            HttpReply refused = keys.check(request);
            if (refused != null) return CompletableFuture.completedFuture(refused);
            R report;
            try {
                report = parse.apply(ApiJson.body(request));
            } catch (ApiJson.BadBody e) {
                return CompletableFuture.completedFuture(e.reply);
            } catch (InvalidFieldException e) {
                return CompletableFuture.completedFuture(ApiJson.bad(e.code(), e.field(), e.getMessage()));
            }
            return deliver.apply(report).handle((dashboards, err) -> err == null ? accepted(dashboards) : failed(err));
        };
    }

    private static HttpReply accepted(int dashboards) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "accepted");
        body.put("dashboards", dashboards);
        return HttpReply.json(202, body);
    }

    private static HttpReply failed(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof AgentWireException a && a.code() == ErrorCode.RATE_LIMITED) {
            return HttpReply.error(429, a.code().name(), a.getMessage()).withHeader("retry-after", "1");
        }
        if (cause instanceof RuntimeException r) throw r; // the transport logs it and answers 500
        throw new CompletionException(cause);
    }
}
