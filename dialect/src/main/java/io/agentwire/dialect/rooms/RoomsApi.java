package io.agentwire.dialect.rooms;

import io.agentwire.core.ErrorCode;
import io.agentwire.dialect.spi.ApiJson;
import io.agentwire.dialect.spi.ApiKeyGuard;
import io.agentwire.core.InvalidFieldException;



import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The HTTP API of the rooms dialect (spec 004), behind the API key, on the rooms port (the document's base URL) and
 * on the main HTTP port:
 *
 * <pre>
 * POST   /api/v1/events                                         {type, data, source?, timestamp?} → 202 {status, type, rooms}
 * GET    /api/v1/websocket/stats                                → 200 {connections, rooms: {room: members}}
 * PUT    /api/v1/access/projects/{project_id}/users/{user_id}   → 200 {status: "granted", project_id, user_id}
 * DELETE /api/v1/access/projects/{project_id}/users/{user_id}   → 200 {status: "revoked", project_id, user_id}
 * GET    /api/v1/access/users/{user_id}                         → 200 {user_id, projects: [granted over the API]}
 * </pre>
 *
 * 400 {@code {"error":{"code","message","field"}}} names the bad field ({@code type}, {@code data.status} …); 401
 * without a valid key; 404 for another path under {@code /api/v1/access/}.
 */
final class RoomsApi {
    public static final String EVENTS = "/api/v1/events";
    public static final String STATS = "/api/v1/websocket/stats";
    public static final String ACCESS = "/api/v1/access/";

    private final RoomsDialect rooms;
    private final ApiKeyGuard keys;
    private final Clock clock;

    RoomsApi(RoomsDialect rooms, ApiKeyGuard keys, Clock clock) {
        this.rooms = rooms;
        this.keys = keys;
        this.clock = clock;
    }

    Routes.Builder install(Routes.Builder routes) {
        routes.post(EVENTS, guarded(this::publish)).get(STATS, guarded(this::stats));
        for (String method : new String[] {"PUT", "DELETE", "GET"}) routes.prefixRoute(method, ACCESS, guarded(this::access));
        return routes;
    }

    private HttpHandler guarded(Function<HttpRequestData, CompletableFuture<HttpReply>> handler) {
        return request -> {
            HttpReply refused = keys.check(request);
            return refused != null ? CompletableFuture.completedFuture(refused) : handler.apply(request);
        };
    }

    private CompletableFuture<HttpReply> publish(HttpRequestData request) {
        ServerEvent event;
        try {
            event = ServerEvent.fromJson(ApiJson.body(request), clock);
        } catch (ApiJson.BadBody e) {
            return CompletableFuture.completedFuture(e.reply);
        } catch (InvalidFieldException e) {
            return CompletableFuture.completedFuture(ApiJson.bad(e.code(), e.field(), e.getMessage()));
        }
        return rooms.publish(event).thenApply(delivered -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "accepted");
            body.put("type", event.type().wireName());
            body.put("rooms", delivered);
            return HttpReply.json(202, body);
        });
    }

    private CompletableFuture<HttpReply> stats(HttpRequestData request) {
        return rooms.stats().thenApply(s -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connections", s.connections());
            body.put("rooms", new TreeMap<>(s.rooms()));
            return HttpReply.json(200, body);
        });
    }

    /** {@code projects/{project_id}/users/{user_id}} (PUT, DELETE) and {@code users/{user_id}} (GET). */
    private CompletableFuture<HttpReply> access(HttpRequestData request) {
        String[] parts = request.path().substring(ACCESS.length()).split("/", -1);
        if (request.method().equals("GET") && parts.length == 2 && parts[0].equals("users")) {
            if (!RoomName.validId(parts[1])) return bad("user_id");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user_id", parts[1]);
            body.put("projects", new TreeSet<>(rooms.grantedProjects(parts[1])));
            return CompletableFuture.completedFuture(HttpReply.json(200, body));
        }
        boolean grant = request.method().equals("PUT");
        if (!request.method().equals("GET") && parts.length == 4 && parts[0].equals("projects") && parts[2].equals("users")) {
            String project = parts[1];
            String user = parts[3];
            if (!RoomName.validId(project)) return bad("project_id");
            if (!RoomName.validId(user)) return bad("user_id");
            CompletableFuture<Void> done = grant ? rooms.grant(user, project) : rooms.revoke(user, project);
            return done.thenApply(v -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", grant ? "granted" : "revoked");
                body.put("project_id", project);
                body.put("user_id", user);
                return HttpReply.json(200, body);
            });
        }
        return CompletableFuture.completedFuture(HttpReply.error(404, "NOT_FOUND", "no such access "
                + "resource: use PUT/DELETE " + ACCESS + "projects/{project_id}/users/{user_id} or GET " + ACCESS
                + "users/{user_id}"));
    }

    private static CompletableFuture<HttpReply> bad(String field) {
        return CompletableFuture.completedFuture(ApiJson.bad(ErrorCode.INVALID_FIELD, field, "'" + field
                + "' must be 1.." + RoomName.MAX_ID + " characters without whitespace"));
    }
}
