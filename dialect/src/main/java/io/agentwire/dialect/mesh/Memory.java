package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.dialect.mesh.MeshDialect.Vocab;
import io.agentwire.dialect.mesh.RateLimits.Category;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Memory in three scopes — {@code agent} (an agent's own), {@code channel} (its channels'), {@code relationship}
 * (between two agents: {@code "a|b"} or {@code ["a","b"]}, one of them the caller) — with get / update / delete /
 * bulk in the document's shape ({@code memory:data {scope, targetId, entries}}) and the real one (correlated by
 * {@code operationId}: {@code memory:get:result}, {@code memory:update:result}, {@code memory:delete:result}).
 * {@code persistent} (default true) entries are durable; {@code expiresAt} hides an entry once passed; {@code tags}
 * are kept. A caller reads and writes only its own agent memory, its channels' and its own relationships.
 */
final class Memory {
    private static final List<String> SCOPES = List.of("agent", "channel", "relationship");
    private final MeshDialect d;

    Memory(MeshDialect d) {
        this.d = d;
    }

    void register() {
        d.on("memory:get", "memory", Category.MEMORY, Vocab.EITHER, this::get);
        d.on("memory:update", "memory", Category.MEMORY, Vocab.EITHER, this::update);
        d.on("memory:delete", "memory", Category.MEMORY, Vocab.EITHER, this::delete);
        d.on("memory:bulk", "memory", Category.MEMORY, Vocab.SPEC, this::bulk);
    }

    /** The scope and target of a request, checked against the caller's rights. */
    private record Slot(String scope, String targetId) { }

    private Slot slot(Call c, JsonNode req, String prefix) throws Refusal {
        String scope = Json.text(req, "scope");
        if (scope == null || !SCOPES.contains(scope)) throw Refusal.invalid(prefix + "scope", "'" + prefix + "scope' must be agent, channel or relationship");
        JsonNode target = c.real && req.has("id") ? req.get("id") : req.get("targetId");
        String id;
        if (target != null && target.isArray() && scope.equals("relationship")) {
            List<String> ids = new ArrayList<>(Json.strings(target));
            ids.sort(null);
            id = String.join("|", ids);
        } else {
            id = target != null && target.isTextual() ? target.textValue() : null;
        }
        if (id == null || id.isBlank()) throw Refusal.invalid(prefix + (c.real ? "id" : "targetId"), "'" + prefix + (c.real ? "id" : "targetId") + "' is required");
        if (scope.equals("relationship") && id.contains("|")) {
            List<String> ids = new ArrayList<>(List.of(id.split("\\|")));
            ids.sort(null);
            id = String.join("|", ids);
        }
        Member m = c.member;
        String me = m.agentId() != null ? m.agentId() : "user:" + m.userId;
        boolean allowed = switch (scope) {
            case "agent" -> id.equals(me) || (m.userId != null && id.equals(m.userId));
            case "channel" -> m.channels.contains(id);
            default -> List.of(id.split("\\|")).contains(me);
        };
        if (!allowed) throw new Refusal("PERMISSION_DENIED", "no access to " + scope + " memory " + id, Json.obj().put("scope", scope).put("targetId", id));
        return new Slot(scope, id);
    }

    private ObjectNode entryJson(MeshState.MemoryEntry e) {
        ObjectNode o = Json.obj().put("key", e.key());
        o.set("value", e.value());
        ObjectNode meta = o.putObject("metadata").put("persistent", e.persistent());
        if (e.expiresAt() > 0) meta.put("expiresAt", Call.iso(e.expiresAt()));
        meta.set("tags", Json.arr(e.tags()));
        o.put("updatedAt", Call.iso(e.updatedAt()));
        return o;
    }

    private void get(Call c) throws Refusal {
        Slot s = slot(c, c.data, "");
        String key = Json.text(c.data, "key");
        List<MeshState.MemoryEntry> entries = d.state.memory(s.scope(), s.targetId(), c.now).stream()
                .filter(e -> key == null || e.key().equals(key)).toList();
        ObjectNode spec = Json.obj().put("scope", s.scope()).put("targetId", s.targetId());
        if (key != null) spec.put("key", key);
        ArrayNode list = spec.putArray("entries");
        entries.forEach(e -> list.add(entryJson(e)));
        ObjectNode real = realBase(c, s);
        if (key != null) real.put("key", key);
        if (entries.isEmpty()) real.putNull("memory");
        else if (key != null) real.set("memory", entries.get(0).value());
        else {
            ObjectNode mem = real.putObject("memory");
            entries.forEach(e -> mem.set(e.key(), e.value()));
        }
        c.reply("memory:data", spec, "memory:get:result", real);
    }

    private ObjectNode realBase(Call c, Slot s) {
        ObjectNode r = Json.obj();
        if (Json.text(c.data, "operationId") != null) r.put("operationId", Json.text(c.data, "operationId"));
        r.put("scope", s.scope());
        r.set("id", c.data.has("id") ? c.data.get("id") : c.data.path("targetId"));
        return r;
    }

    /** One entry to store, from the document's {key, value, metadata}. */
    private MeshState.MemoryEntry entry(Slot s, String key, JsonNode value, JsonNode meta, String field, long now) throws Refusal {
        long expires = 0;
        if (meta != null && meta.hasNonNull("expiresAt")) {
            try {
                expires = Instant.parse(meta.get("expiresAt").asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw Refusal.invalid(field + "metadata.expiresAt", "'" + field + "metadata.expiresAt' must be an ISO-8601 instant");
            }
        }
        boolean persistent = meta == null || meta.path("persistent").asBoolean(true);
        List<String> tags = meta == null ? List.of() : Json.strings(meta.get("tags"));
        return new MeshState.MemoryEntry(s.scope(), s.targetId(), key, value == null ? Json.MAPPER.nullNode() : value,
                persistent, expires, tags, now);
    }

    private void update(Call c) throws Refusal {
        Slot s = slot(c, c.data, "");
        List<MeshState.MemoryEntry> writes = new ArrayList<>();
        if (c.real && c.data.path("data").isObject()) { // real: {operationId, scope, id, data: {key: value…}, metadata?}
            var it = c.data.get("data").fields();
            while (it.hasNext()) {
                var f = it.next();
                writes.add(entry(s, f.getKey(), f.getValue(), c.data.get("metadata"), "", c.now));
            }
        } else {
            String key = c.required("key");
            if (!c.data.has("value")) throw Refusal.invalid("value", "'value' is required");
            writes.add(entry(s, key, c.data.get("value"), c.data.get("metadata"), "", c.now));
        }
        CompletableFuture<?> all = CompletableFuture.allOf(writes.stream().map(d.state::putMemory).toArray(CompletableFuture[]::new));
        all.whenComplete((x, e) -> {
            if (e != null) {
                c.fail("memory", Refusal.of("INTERNAL_ERROR", "memory could not be stored"));
                return;
            }
            ObjectNode spec = Json.obj().put("scope", s.scope()).put("targetId", s.targetId());
            ArrayNode list = spec.putArray("entries");
            writes.forEach(w -> list.add(entryJson(w)));
            ObjectNode real = realBase(c, s);
            ObjectNode mem = real.putObject("memory");
            d.state.memory(s.scope(), s.targetId(), d.now()).forEach(m -> mem.set(m.key(), m.value()));
            c.reply("memory:updated", spec, "memory:update:result", real);
        });
    }

    private void delete(Call c) throws Refusal {
        Slot s = slot(c, c.data, "");
        String key = Json.text(c.data, "key");
        d.state.deleteMemory(s.scope(), s.targetId(), key, c.now).thenAccept(n -> {
            ObjectNode spec = Json.obj().put("scope", s.scope()).put("targetId", s.targetId()).put("deletedCount", n);
            if (key != null) spec.put("key", key);
            ObjectNode real = realBase(c, s).put("success", true).put("deletedCount", n);
            if (key != null) real.put("key", key);
            c.reply("memory:deleted", spec, "memory:delete:result", real);
        });
    }

    /** Every operation is validated before any is applied; then they apply in order. */
    private void bulk(Call c) throws Refusal {
        JsonNode ops = c.data.get("operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) throw Refusal.invalid("operations", "'operations' must be a non-empty array");
        List<Object> planned = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String f = "operations[" + i + "].";
            String action = Json.text(op, "action");
            if (action == null || !List.of("create", "update", "delete").contains(action)) throw Refusal.invalid(f + "action", "'" + f + "action' must be create, update or delete");
            Slot s = slot(c, op, f);
            String key = Json.text(op, "key");
            if (key == null || key.isBlank()) throw Refusal.invalid(f + "key", "'" + f + "key' is required");
            planned.add(action.equals("delete") ? new Slot[] {s, new Slot(key, null)} : entry(s, key, op.get("value"), op.get("metadata"), f, c.now));
        }
        CompletableFuture<Object> chain = CompletableFuture.completedFuture(null);
        for (Object p : planned) {
            chain = chain.thenCompose(x -> p instanceof MeshState.MemoryEntry e ? d.state.putMemory(e).thenApply(y -> (Object) y)
                    : d.state.deleteMemory(((Slot[]) p)[0].scope(), ((Slot[]) p)[0].targetId(), ((Slot[]) p)[1].scope(), c.now)
                            .thenApply(y -> (Object) y));
        }
        chain.whenComplete((x, e) -> {
            if (e != null) c.fail("memory", Refusal.of("INTERNAL_ERROR", "memory could not be stored"));
            else c.reply("memory:bulk:result", Json.obj().put("applied", planned.size()), null, null);
        });
    }
}
