package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Node;
import io.agentwire.dialect.spi.StreamState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mesh's durable state — users, agent keys, channels, tasks and persistent memory — folded from the changes on
 * the durable stream {@value #STREAM} ({@link StreamState}): it survives a restart (SQLite) and every node of a cluster
 * (Redis) sees the same. Each change is a JSON object {@code {op, …}}; a task change carries the whole task.
 * Reads are lock-free snapshots of the maps; writes return once applied here.
 */
final class MeshState implements AutoCloseable {
    static final String STREAM = "mesh:state";

    /** A user who may connect with username and password (the hash is {@link Passwords}' format). */
    record User(String userId, String username, String hash, long createdAt) { }

    /**
     * An agent key: bound to a channel and an agent id, expiring, revocable; only the secret's digest is kept.
     * {@code allowedTools}: the tools its agent may execute (null: any).
     */
    record AgentKey(String keyId, String secretDigest, String channelId, String agentId, String name, long expiresAt,
                    boolean revoked, String createdBy, List<String> allowedTools) { }

    /** One memory entry of a scope ({@code agent}, {@code channel}, {@code relationship}) and target. */
    record MemoryEntry(String scope, String targetId, String key, JsonNode value, boolean persistent, long expiresAt,
                       List<String> tags, long updatedAt) { }

    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, AgentKey> keys = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> channels = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> tasks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, MemoryEntry>> memory = new ConcurrentHashMap<>();
    private final StreamState log;

    MeshState(Node node) {
        this.log = new StreamState(node, STREAM, "mesh state", change -> {
            apply(change);
            return null;
        });
    }

    CompletableFuture<Void> start() {
        return log.start();
    }

    boolean ready() {
        return log.ready();
    }

    // ---- reads ----

    Optional<User> user(String username) {
        return Optional.ofNullable(users.get(username));
    }

    Collection<User> users() {
        return List.copyOf(users.values());
    }

    Optional<AgentKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    Collection<AgentKey> keys() {
        return List.copyOf(keys.values());
    }

    Optional<ObjectNode> channel(String channelId) {
        return Optional.ofNullable(channels.get(channelId)).map(ObjectNode::deepCopy);
    }

    int channelCount() {
        return channels.size();
    }

    Optional<ObjectNode> task(String taskId) {
        return Optional.ofNullable(tasks.get(taskId)).map(ObjectNode::deepCopy);
    }

    List<ObjectNode> tasks() {
        List<ObjectNode> out = new ArrayList<>();
        tasks.values().forEach(t -> out.add(t.deepCopy()));
        return out;
    }

    /** The entries of a scope and target that have not expired at {@code now}. */
    List<MemoryEntry> memory(String scope, String targetId, long now) {
        Map<String, MemoryEntry> m = memory.get(slot(scope, targetId));
        if (m == null) return List.of();
        return m.values().stream().filter(e -> e.expiresAt() == 0 || e.expiresAt() > now).toList();
    }

    // ---- changes ----

    CompletableFuture<Void> addUser(User u) {
        return log.append(Json.obj().put("op", "user.add").put("userId", u.userId()).put("username", u.username())
                .put("hash", u.hash()).put("createdAt", u.createdAt()));
    }

    CompletableFuture<Void> removeUser(String username) {
        return log.append(Json.obj().put("op", "user.remove").put("username", username));
    }

    CompletableFuture<Void> addKey(AgentKey k) {
        return log.append(Json.obj().put("op", "key.add").set("key", Json.MAPPER.valueToTree(k)));
    }

    CompletableFuture<Void> revokeKey(String keyId) {
        return log.append(Json.obj().put("op", "key.revoke").put("keyId", keyId));
    }

    CompletableFuture<Void> putChannel(ObjectNode channel) {
        return log.append(Json.obj().put("op", "channel.put").set("channel", channel));
    }

    CompletableFuture<Void> putTask(ObjectNode task) {
        return log.append(Json.obj().put("op", "task.put").set("task", task));
    }

    /** Stores an entry: persistent ones through the durable stream, the others on this node only. */
    CompletableFuture<Void> putMemory(MemoryEntry e) {
        if (!e.persistent()) {
            memory.computeIfAbsent(slot(e.scope(), e.targetId()), s -> new ConcurrentHashMap<>()).put(e.key(), e);
            return CompletableFuture.completedFuture(null);
        }
        return log.append(Json.obj().put("op", "memory.put").set("entry", Json.MAPPER.valueToTree(e)));
    }

    /** Deletes one key, or every key of the target when {@code key} is null; completes with the number deleted. */
    CompletableFuture<Integer> deleteMemory(String scope, String targetId, String key, long now) {
        List<MemoryEntry> present = memory(scope, targetId, now).stream()
                .filter(e -> key == null || e.key().equals(key)).toList();
        if (present.isEmpty()) return CompletableFuture.completedFuture(0);
        ObjectNode change = Json.obj().put("op", "memory.delete").put("scope", scope).put("targetId", targetId);
        if (key != null) change.put("key", key);
        return log.append(change).thenApply(x -> present.size());
    }

    private void apply(JsonNode c) {
        switch (c.path("op").asText()) {
            case "user.add" -> users.put(c.path("username").asText(), new User(c.path("userId").asText(),
                    c.path("username").asText(), c.path("hash").asText(), c.path("createdAt").asLong()));
            case "user.remove" -> users.remove(c.path("username").asText());
            case "key.add" -> {
                AgentKey k = Json.MAPPER.convertValue(c.path("key"), AgentKey.class);
                keys.put(k.keyId(), k);
            }
            case "key.revoke" -> keys.computeIfPresent(c.path("keyId").asText(), (id, k) -> new AgentKey(k.keyId(),
                    k.secretDigest(), k.channelId(), k.agentId(), k.name(), k.expiresAt(), true, k.createdBy(), k.allowedTools()));
            case "channel.put" -> channels.put(c.path("channel").path("channelId").asText(),
                    (ObjectNode) c.path("channel").deepCopy());
            case "task.put" -> tasks.put(c.path("task").path("taskId").asText(), (ObjectNode) c.path("task").deepCopy());
            case "memory.put" -> {
                MemoryEntry e = Json.MAPPER.convertValue(c.path("entry"), MemoryEntry.class);
                memory.computeIfAbsent(slot(e.scope(), e.targetId()), s -> new ConcurrentHashMap<>()).put(e.key(), e);
            }
            case "memory.delete" -> {
                String slot = slot(c.path("scope").asText(), c.path("targetId").asText());
                if (c.has("key")) {
                    Map<String, MemoryEntry> m = memory.get(slot);
                    if (m != null) m.remove(c.path("key").asText());
                } else {
                    memory.remove(slot);
                }
            }
            default -> { } // a change of a later version: ignored
        }
    }

    private static String slot(String scope, String targetId) {
        return scope + '\u0000' + targetId;
    }

    @Override
    public void close() {
        log.close();
    }
}
