package io.agentwire.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.dialect.tracking.AgentStatusReport;
import io.agentwire.dialect.tracking.CollaborationReport;
import io.agentwire.dialect.tracking.InvalidReportException;
import io.agentwire.dialect.tracking.LogReport;
import io.agentwire.dialect.tracking.TrackingDialect;
import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.Routes;
import java.io.IOException;
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
final class TrackingApi {
    static final String BASE = "/api/v1/tracking";
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private final TrackingDialect tracking;
    private final ApiKeyCheck keys;

    TrackingApi(TrackingDialect tracking, ApiKeyCheck keys) {
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
                JsonNode body = STRICT.readTree(request.body());
                if (body == null || body.isMissingNode()) {
                    return bad(ErrorCode.INVALID_JSON, null, "the body must be a JSON object; it was empty");
                }
                report = parse.apply(body);
            } catch (IOException e) {
                return bad(ErrorCode.INVALID_JSON, null, "the body is not valid JSON");
            } catch (InvalidReportException e) {
                return bad(e.code(), e.field(), e.getMessage());
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

    private static CompletableFuture<HttpReply> bad(ErrorCode code, String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        if (field != null) error.put("field", field);
        return CompletableFuture.completedFuture(HttpReply.json(400, Map.of("error", error)));
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
