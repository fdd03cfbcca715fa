package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Blocking;
import io.agentwire.core.ToolCatalog;
import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Spec 001's REST API on the progress port, as the real front end calls it (relative to its page): sessions and
 * their messages, the tool registry and its analytics (from the {@link ToolCatalog} service; empty answers when the
 * server has none). Every answer is JSON: {@code {success: true, …}} or {@code {success: false, error}} with 400 for
 * a bad parameter (named), 401 without a valid token when {@code require-token} is on, 404 for an unknown tool or
 * route, 500 when the registry fails. CORS headers for the configured origins; preflights answered.
 */
final class ProgressApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SESSION = "/api/session/";
    private static final String TOOLS = "/api/tools/";
    private static final String ANALYTICS_SESSIONS = "/api/analytics/sessions/";

    private final ProgressDialect.Parts parts;
    private final List<String> origins;
    private final Authenticator auth;

    ProgressApi(ProgressDialect.Parts parts, List<String> origins, Authenticator auth) {
        this.parts = parts;
        this.origins = origins;
        this.auth = auth;
    }

    void install(Routes.Builder routes) {
        exact(routes, "POST", "/api/session", r -> done(ok().put("session_id", UUID.randomUUID().toString())));
        prefix(routes, SESSION, this::messages);
        exact(routes, "GET", "/api/tools", r -> catalog(c -> list("tools", c.tools().stream().map(ProgressApi::tool).toList()),
                () -> list("tools", List.of())));
        prefix(routes, TOOLS, this::tool);
        exact(routes, "GET", "/api/analytics/relationships", this::relationships);
        exact(routes, "GET", "/api/analytics/patterns", this::patterns);
        exact(routes, "GET", "/api/analytics/stats", r -> catalog(c -> ok().set("stats", c.stats()), () -> {
            ObjectNode stats = NODES.objectNode().put("total_patterns", 0).put("total_relationships", 0);
            stats.putNull("most_frequent_pattern");
            stats.putArray("most_connected_tools");
            return ok().set("stats", stats);
        }));
        prefix(routes, ANALYTICS_SESSIONS, this::executions);
        prefix(routes, "/api/", r -> done(failure(404, "Not found")));
    }

    // ---- routes ----

    private CompletableFuture<HttpReply> messages(HttpRequestData r) {
        String rest = r.path().substring(SESSION.length());
        if (!rest.endsWith("/messages")) return done(failure(404, "Not found"));
        String id = rest.substring(0, rest.length() - "/messages".length());
        if (!validId(id)) return done(failure(404, "Not found"));
        Integer limit = intParam(r, "limit", 20, 1, 1000);
        if (limit == null) return done(badParam("limit", "an integer from 1 to 1000"));
        return parts.memory().last(id, limit).thenApply(m -> {
            ObjectNode o = ok();
            o.set("messages", m);
            return reply(200, o.put("count", m.size()));
        });
    }

    private CompletableFuture<HttpReply> tool(HttpRequestData r) {
        String name = r.path().substring(TOOLS.length());
        if (!validId(name)) return done(failure(404, "Tool not found"));
        return parts.catalog().map(c -> Blocking.supply(() -> c.tool(name)).thenApply(t -> t
                .map(o -> reply(200, (ObjectNode) ok().set("tool", o)))
                .orElse(failure(404, "Tool not found"))).exceptionally(ProgressApi::broken))
                .orElse(done(failure(404, "Tool not found")));
    }

    private CompletableFuture<HttpReply> relationships(HttpRequestData r) {
        Double min = doubleParam(r, "min_confidence", 0.5);
        if (min == null) return done(badParam("min_confidence", "a number from 0 to 1"));
        String toolName = r.queryParam("tool_name").filter(s -> !s.isBlank()).orElse(null);
        return catalog(c -> list("relationships", c.relationships(toolName, min)), () -> list("relationships", List.of()));
    }

    private CompletableFuture<HttpReply> patterns(HttpRequestData r) {
        Integer minFrequency = intParam(r, "min_frequency", 2, 1, Integer.MAX_VALUE);
        if (minFrequency == null) return done(badParam("min_frequency", "a positive integer"));
        Integer limit = intParam(r, "limit", 10, 1, 1000);
        if (limit == null) return done(badParam("limit", "an integer from 1 to 1000"));
        return catalog(c -> list("patterns", c.patterns(minFrequency, limit)), () -> list("patterns", List.of()));
    }

    private CompletableFuture<HttpReply> executions(HttpRequestData r) {
        String id = r.path().substring(ANALYTICS_SESSIONS.length());
        if (!validId(id)) return done(failure(404, "Not found"));
        Integer limit = intParam(r, "limit", 100, 1, 1000);
        if (limit == null) return done(badParam("limit", "an integer from 1 to 1000"));
        Function<List<ObjectNode>, ObjectNode> answer = rows -> {
            ObjectNode o = ok().put("session_id", id);
            o.putArray("executions").addAll(rows);
            return o.put("count", rows.size());
        };
        // the agent saw the run's core session id (RunRequest.sessionId())
        return catalog(c -> answer.apply(c.executions(Turn.coreSession(id), limit)), () -> answer.apply(List.of()));
    }

    // ---- helpers ----

    /** A tool list item as the real front end reads it: a non-null docstring and a timestamp. */
    private static ObjectNode tool(ObjectNode t) {
        ObjectNode o = t.deepCopy();
        if (!o.path("docstring").isTextual()) o.put("docstring", "");
        if (!o.hasNonNull("timestamp") && o.hasNonNull("created_at")) o.set("timestamp", o.get("created_at"));
        return o;
    }

    private CompletableFuture<HttpReply> catalog(Function<ToolCatalog, ObjectNode> read,
                                                 java.util.function.Supplier<ObjectNode> none) {
        Optional<ToolCatalog> c = parts.catalog();
        if (c.isEmpty()) return done(reply(200, none.get()));
        return Blocking.supply(() -> read.apply(c.get())).thenApply(o -> reply(200, o)).exceptionally(ProgressApi::broken);
    }

    private static HttpReply broken(Throwable e) {
        LoggerHolder.log.warn("progress API: the tool registry failed", e);
        return failure(500, "The tool registry failed: " + rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static final class LoggerHolder {
        static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProgressApi.class);
    }

    private static ObjectNode list(String field, List<ObjectNode> rows) {
        ObjectNode o = ok();
        ArrayNode a = o.putArray(field);
        a.addAll(rows);
        return o.put("count", rows.size());
    }

    static boolean validId(String id) {
        return !id.isEmpty() && id.length() <= ProgressDialect.MAX_SESSION_ID && id.indexOf('/') < 0
                && id.chars().noneMatch(Character::isISOControl);
    }

    private static Integer intParam(HttpRequestData r, String name, int dflt, int min, int max) {
        Optional<String> v = r.queryParam(name);
        if (v.isEmpty()) return dflt;
        try {
            int n = Integer.parseInt(v.get().trim());
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double doubleParam(HttpRequestData r, String name, double dflt) {
        Optional<String> v = r.queryParam(name);
        if (v.isEmpty()) return dflt;
        try {
            double d = Double.parseDouble(v.get().trim());
            return Double.isNaN(d) || d < 0 || d > 1 ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ObjectNode ok() {
        return NODES.objectNode().put("success", true);
    }

    private static HttpReply badParam(String name, String what) {
        return failure(400, "Invalid parameter '" + name + "': must be " + what);
    }

    static HttpReply failure(int status, String error) {
        return reply(status, NODES.objectNode().put("success", false).put("error", error));
    }

    private static HttpReply reply(int status, JsonNode body) {
        return HttpReply.json(status, body);
    }

    private static CompletableFuture<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletableFuture<HttpReply> done(ObjectNode body) {
        return done(reply(200, body));
    }

    private void exact(Routes.Builder routes, String method, String path, HttpHandler h) {
        routes.route(method, path, guarded(h));
        routes.route("OPTIONS", path, this::preflight);
    }

    private void prefix(Routes.Builder routes, String prefix, HttpHandler h) {
        routes.prefixRoute("GET", prefix, guarded(h));
        routes.prefixRoute("OPTIONS", prefix, this::preflight);
    }

    /** The token check (require-token) and the CORS headers around a route. */
    private HttpHandler guarded(HttpHandler h) {
        return r -> {
            CompletableFuture<HttpReply> reply = auth.authenticate(r.authRequest()) instanceof Authenticator.Rejected
                    ? done(failure(401, "Authentication required"))
                    : h.handle(r);
            return reply.thenApply(x -> cors(r, x, false));
        };
    }

    private CompletableFuture<HttpReply> preflight(HttpRequestData r) {
        return done(cors(r, new HttpReply(204, "text/plain", new byte[0], Map.of()), true));
    }

    private HttpReply cors(HttpRequestData r, HttpReply reply, boolean preflight) {
        String origin = r.header("origin").orElse(null);
        if (origin == null || origins.isEmpty()) return reply;
        boolean any = origins.contains("*");
        if (!any && !origins.contains(origin)) return reply;
        HttpReply out = reply.withHeader("access-control-allow-origin", any ? "*" : origin).withHeader("vary", "Origin");
        if (!preflight) return out;
        out = out.withHeader("access-control-allow-methods", "GET, POST, OPTIONS").withHeader("access-control-max-age", "3600");
        String headers = r.header("access-control-request-headers").orElse(null);
        return headers == null ? out : out.withHeader("access-control-allow-headers", headers);
    }
}
