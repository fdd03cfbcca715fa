package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Blocking;
import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The mesh's admin HTTP API on the main port, guarded by the API key: users ({@code POST /api/mesh/users}
 * {@code {username, password}}), agent keys ({@code POST /api/mesh/keys} {@code {channelId, agentId, name?,
 * expiresAt?}} → the secret, shown once; {@code POST /api/mesh/keys/revoke} {@code {keyId}}), channels
 * ({@code POST /api/mesh/channels} {@code {channelId, name, description?}}).
 */
final class MeshApi {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private final MeshDialect d;

    MeshApi(MeshDialect d) {
        this.d = d;
    }

    void install(Routes.Builder routes) {
        routes.post("/api/mesh/users", guarded(this::addUser));
        routes.post("/api/mesh/keys", guarded(this::addKey));
        routes.post("/api/mesh/keys/revoke", guarded(this::revokeKey));
        routes.post("/api/mesh/channels", guarded(this::addChannel));
    }

    private HttpHandler guarded(HttpHandler h) {
        return request -> {
            HttpReply refused = d.context.apiKeys().check(request);
            if (refused != null) return CompletableFuture.completedFuture(refused);
            if (object(request) == null) return bad("body", "the body must be a JSON object");
            return h.handle(request);
        };
    }

    private static CompletableFuture<HttpReply> bad(String field, String message) {
        ObjectNode e = Json.obj().put("code", "VALIDATION_ERROR").put("message", message);
        e.putObject("details").put("field", field);
        return CompletableFuture.completedFuture(HttpReply.json(400, Json.obj().set("error", e)));
    }

    /** The request's body if it is a JSON object, else null. */
    static JsonNode object(HttpRequestData r) {
        try {
            JsonNode body = Json.MAPPER.readTree(r.bodyText());
            return body != null && body.isObject() ? body : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode body(HttpRequestData r) {
        try {
            return Json.MAPPER.readTree(r.bodyText());
        } catch (Exception e) {
            return Json.obj();
        }
    }

    private CompletableFuture<HttpReply> addUser(HttpRequestData r) {
        JsonNode b = body(r);
        String username = Json.text(b, "username");
        String password = Json.text(b, "password");
        if (username == null || !NAME.matcher(username).matches()) return bad("username", "'username' must be 1-128 of A-Z a-z 0-9 . _ @ -");
        if (password == null || password.length() < 8) return bad("password", "'password' must have at least 8 characters");
        if (d.state.user(username).isPresent()) return bad("username", "user " + username + " exists");
        return addUser(d.state, username, password, d.now()).thenApply(u ->
                HttpReply.json(201, Json.obj().put("userId", u.userId()).put("username", u.username())));
    }

    /** Hashes (on a virtual thread) and stores a user. */
    static CompletableFuture<MeshState.User> addUser(MeshState state, String username, String password, long now) {
        return Blocking.supply(() -> Passwords.hash(password)).thenCompose(hash -> {
            MeshState.User u = new MeshState.User("user-" + UUID.randomUUID(), username, hash, now);
            return state.addUser(u).thenApply(x -> u);
        });
    }

    private CompletableFuture<HttpReply> addKey(HttpRequestData r) {
        JsonNode b = body(r);
        String channelId = Json.text(b, "channelId");
        String agentId = Json.text(b, "agentId");
        if (channelId == null || channelId.isBlank()) return bad("channelId", "'channelId' is required");
        if (agentId == null || agentId.isBlank()) return bad("agentId", "'agentId' is required");
        if (d.state.channel(channelId).isEmpty()) {
            return CompletableFuture.completedFuture(HttpReply.error(404, "CHANNEL_NOT_FOUND", "Channel " + channelId + " does not exist"));
        }
        long expires;
        try {
            expires = Json.text(b, "expiresAt") == null ? d.now() + d.settings.keyTtl().toMillis() : Instant.parse(Json.text(b, "expiresAt")).toEpochMilli();
        } catch (Exception e) {
            return bad("expiresAt", "'expiresAt' must be an ISO-8601 instant");
        }
        JsonNode allowed = b.get("allowedTools");
        if (allowed != null && !allowed.isNull() && (!allowed.isArray() || Json.strings(allowed).size() != allowed.size())) {
            return bad("allowedTools", "'allowedTools' must be an array of tool names");
        }
        List<String> tools = allowed == null || allowed.isNull() ? null : Json.strings(allowed);
        ObjectNode key = Channels.newKey(channelId, agentId, Json.text(b, "name"), expires, "api");
        if (tools != null) key.set("allowedTools", Json.arr(tools));
        return d.state.addKey(new MeshState.AgentKey(key.path("keyId").asText(), Passwords.digest(key.path("secretKey").asText()),
                channelId, agentId, Json.text(b, "name"), expires, false, "api", tools)).thenApply(x -> HttpReply.json(201, key));
    }

    private CompletableFuture<HttpReply> revokeKey(HttpRequestData r) {
        String keyId = Json.text(body(r), "keyId");
        if (keyId == null || d.state.key(keyId).isEmpty()) {
            return CompletableFuture.completedFuture(HttpReply.error(404, "INVALID_KEY", "no key " + keyId));
        }
        return d.state.revokeKey(keyId).thenApply(x -> {
            for (Member m : d.members()) { // sockets using it lose it now, not only at their next reconnection
                if (m.isKey() && keyId.equals(m.socket.handshake().auth().path("keyId").asText())) m.socket.disconnect();
            }
            return HttpReply.json(200, Json.obj().put("keyId", keyId).put("revoked", true));
        });
    }

    private CompletableFuture<HttpReply> addChannel(HttpRequestData r) {
        JsonNode b = body(r);
        String id = Json.text(b, "channelId");
        if (id == null || !NAME.matcher(id).matches()) return bad("channelId", "'channelId' must be 1-128 of A-Z a-z 0-9 . _ @ -");
        ObjectNode ch = Json.obj().put("channelId", id).put("name", Json.text(b, "name") == null ? id : Json.text(b, "name"))
                .put("description", Json.text(b, "description") == null ? "" : Json.text(b, "description"))
                .put("createdBy", "api").put("createdAt", Call.iso(d.now()));
        ch.set("metadata", b.path("metadata").isObject() ? b.get("metadata") : Json.obj());
        return d.state.putChannel(ch).thenApply(x -> HttpReply.json(201, ch));
    }
}
