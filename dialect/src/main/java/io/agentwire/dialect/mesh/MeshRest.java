package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import io.agentwire.transport.Routes;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real SDK's REST calls ({@code MxfApiService}, docs/specs/003-real-system.md A.5) on the mesh port, authenticated
 * as it does with an agent key in {@code x-key-id} / {@code x-secret-key} (401 {@code INVALID_KEY} otherwise; a
 * channel other than the key's → 403 {@code PERMISSION_DENIED}). Served: {@code GET /api/agents/context},
 * {@code GET /api/channels/{id}/messages?limit=} and {@code /history?limit=} (the channel's durable stream, each
 * message with its {@code seq}), {@code GET /api/channels/{id}/memory} and {@code POST /api/channels/{id}/memory}
 * {@code {key, value, persistent?}}, {@code POST /api/channels/{id}/messages} {@code {content, metadata?}} (delivered as
 * the key's agent's {@code message:send}). Replies are {@code {success: true, data}} or {@code {error: {code, message}}}.
 */
final class MeshRest {
    private static final int LIMIT_MAX = 500;
    private final MeshDialect d;

    MeshRest(MeshDialect d) {
        this.d = d;
    }

    void install(Routes.Builder routes) {
        routes.get("/api/agents/context", authed((r, id) -> context(id)));
        routes.prefixRoute("GET", "/api/channels/", authed(this::channelGet));
        routes.prefixRoute("POST", "/api/channels/", authed(this::channelPost));
    }

    private interface Authed {
        CompletableFuture<HttpReply> handle(HttpRequestData r, Credentials.Identity who);
    }

    private HttpHandler authed(Authed h) {
        return r -> {
            ObjectNode auth = Json.obj().put("keyId", r.header("x-key-id").orElse(null))
                    .put("secretKey", r.header("x-secret-key").orElse(null));
            if (!auth.hasNonNull("keyId")) return done(HttpReply.error(401, "INVALID_KEY", "x-key-id and x-secret-key are required"));
            Object who = d.credentials.identify(auth, d.now());
            if (who instanceof Credentials.Failure f) return done(HttpReply.error(401, f.code(), f.message()));
            return h.handle(r, (Credentials.Identity) who);
        };
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static CompletableFuture<HttpReply> ok(int status, JsonNode data) {
        return done(HttpReply.json(status, Json.obj().put("success", true).set("data", data)));
    }

    private static CompletableFuture<HttpReply> invalid(String field, String message) {
        ObjectNode e = Json.obj().put("code", "VALIDATION_ERROR").put("message", message);
        e.putObject("details").put("field", field);
        return done(HttpReply.json(400, Json.obj().set("error", e)));
    }

    private CompletableFuture<HttpReply> context(Credentials.Identity who) {
        ObjectNode data = Json.obj().put("agentId", who.agentId()).put("channelId", who.channelId());
        data.set("agent", d.agents.find(who.agentId()).map(Agents.Agent::toJson).orElse(Json.obj().put("agentId", who.agentId())));
        data.set("channel", d.state.channel(who.channelId()).orElse(null));
        return ok(200, data);
    }

    /** {@code [channelId, rest]} of {@code /api/channels/{id}/{rest}}, or null. */
    private static String[] split(HttpRequestData r) {
        String[] parts = r.path().substring("/api/channels/".length()).split("/", 2);
        return parts.length == 2 && !parts[0].isEmpty() ? parts : null;
    }

    /** Null when the key may use the channel, else the refusal. */
    private CompletableFuture<HttpReply> refuse(Credentials.Identity who, String channelId) {
        if (d.state.channel(channelId).isEmpty()) return done(HttpReply.error(404, "CHANNEL_NOT_FOUND", "Channel " + channelId + " does not exist"));
        if (!channelId.equals(who.channelId())) {
            return done(HttpReply.error(403, "PERMISSION_DENIED", "this key is bound to channel " + who.channelId()));
        }
        return null;
    }

    private CompletableFuture<HttpReply> channelGet(HttpRequestData r, Credentials.Identity who) {
        String[] p = split(r);
        if (p == null) return done(HttpReply.error(404, "NOT_FOUND", "no such route"));
        CompletableFuture<HttpReply> refused = refuse(who, p[0]);
        if (refused != null) return refused;
        return switch (p[1]) {
            case "messages", "history" -> messages(r, p[0]);
            case "memory" -> {
                ObjectNode mem = Json.obj();
                d.state.memory("channel", p[0], d.now()).forEach(e -> mem.set(e.key(), e.value()));
                yield ok(200, Json.obj().put("channelId", p[0]).set("memory", mem));
            }
            default -> done(HttpReply.error(404, "NOT_FOUND", "no such route"));
        };
    }

    private CompletableFuture<HttpReply> messages(HttpRequestData r, String ch) {
        int limit;
        try {
            limit = Integer.parseInt(r.queryParam("limit").orElse("50"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > LIMIT_MAX) return invalid("limit", "'limit' must be 1.." + LIMIT_MAX);
        return Channels.last(d.context.node(), ch, limit).thenApply(out ->
                HttpReply.json(200, Json.obj().put("success", true).set("data", out)));
    }

    private CompletableFuture<HttpReply> channelPost(HttpRequestData r, Credentials.Identity who) {
        String[] p = split(r);
        if (p == null || !(p[1].equals("memory") || p[1].equals("messages"))) return done(HttpReply.error(404, "NOT_FOUND", "no such route"));
        CompletableFuture<HttpReply> refused = refuse(who, p[0]);
        if (refused != null) return refused;
        JsonNode b = MeshApi.object(r);
        if (b == null) return invalid("body", "the body must be a JSON object");
        if (p[1].equals("messages")) {
            try {
                String id = d.channels.post(p[0], who.agentId(), b.get("content"), b.get("metadata"), d.now());
                return done(HttpReply.json(201, Json.obj().put("success", true).set("data",
                        Json.obj().put("messageId", id).put("channelId", p[0]))));
            } catch (Refusal e) {
                return invalid(e.details == null ? "content" : e.details.path("field").asText("content"), e.getMessage());
            }
        }
        String key = Json.text(b, "key");
        if (key == null || key.isBlank()) return invalid("key", "'key' is required");
        if (!b.has("value")) return invalid("value", "'value' is required");
        MeshState.MemoryEntry e = new MeshState.MemoryEntry("channel", p[0], key, b.get("value"),
                b.path("persistent").asBoolean(true), 0, List.of(), d.now());
        return d.state.putMemory(e).thenCompose(x -> ok(200, Json.obj().put("channelId", p[0]).put("key", key)));
    }
}
