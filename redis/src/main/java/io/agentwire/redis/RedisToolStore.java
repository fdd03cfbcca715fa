package io.agentwire.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Ids;
import io.agentwire.core.ToolStore;
import io.lettuce.core.SetArgs;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The toolsmith's registry shared by every node of a cluster (keys {@code P:tools:…}, see {@link Keys}): a tool
 * synthesized on one node is found and run on every other. Usage counts and the last 50 outcomes are updated by one
 * script per execution, so concurrent nodes lose no count; every write increments a version counter that the nodes'
 * search caches compare with before answering (a tool registered elsewhere is seen by the next search). Pattern
 * mining runs under a Redis lock ({@code SET NX PX}, released by its holder only). Blocking (virtual threads).
 */
final class RedisToolStore implements ToolStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LOCK_MILLIS = 30_000;
    private static final long LOCK_WAIT_MILLIS = 20_000;

    private final RedisCluster cluster;
    private final Keys keys;
    private final ReentrantLock local = new ReentrantLock();

    RedisToolStore(RedisCluster cluster, Keys keys) {
        this.cluster = cluster;
        this.keys = keys;
    }

    private <T> T call(Function<RedisAsyncCommands<String, String>, CompletableFuture<T>> f) {
        return cluster.await(cluster.call(ErrorCode.STORE_UNAVAILABLE, f));
    }

    @Override
    public long version() {
        String v = call(r -> r.get(keys.tools("version")).toCompletableFuture());
        return v == null ? 0 : Long.parseLong(v);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void putTool(String name, ObjectNode definition, float[] embedding) {
        String now = Long.toString(System.currentTimeMillis());
        call(r -> Script.TOOL_PUT.run(r, new String[] {toolKey(name), keys.tools("index"), keys.tools("version")}, name,
                definition.toString(), Base64.getEncoder().encodeToString(ToolStore.bytes(embedding)), now));
    }

    @Override
    public Optional<StoredTool> tool(String name) {
        return Optional.ofNullable(call(r -> read(r, name)));
    }

    @Override
    public List<StoredTool> tools() {
        List<String> names = call(r -> r.zrange(keys.tools("index"), 0, -1).toCompletableFuture());
        List<StoredTool> out = call(r -> {
            List<CompletableFuture<StoredTool>> reads = names.stream().map(n -> read(r, n)).toList(); // pipelined
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .thenApply(v -> reads.stream().map(CompletableFuture::join).filter(t -> t != null).toList());
        });
        return out;
    }

    @Override
    public int toolCount() {
        return call(r -> r.zcard(keys.tools("index")).toCompletableFuture()).intValue();
    }

    @Override
    public void removeTool(String name) {
        call(r -> r.del(toolKey(name), toolKey(name) + ":last").toCompletableFuture()
                .thenCompose(n -> r.zrem(keys.tools("index"), name).toCompletableFuture())
                .thenCompose(n -> r.incr(keys.tools("version")).toCompletableFuture()));
    }

    @Override
    public void recordExecution(Execution e) {
        String json = write(e);
        call(r -> Script.TOOL_EXEC.run(r, new String[] {toolKey(e.tool()), toolKey(e.tool()) + ":last",
                keys.tools("exec:" + e.sessionId()), keys.tools("exec:seq"), keys.tools("version")},
                e.success() ? "1" : "0", json));
    }

    @Override
    public List<Execution> executions(String sessionId, int limit) {
        List<String> rows = call(r -> r.lrange(keys.tools("exec:" + sessionId), 0, limit - 1L).toCompletableFuture());
        List<Execution> out = new ArrayList<>();
        for (String row : rows) {
            int space = row.indexOf(' ');
            Execution e = read(row.substring(space + 1), Execution.class);
            out.add(new Execution(Long.parseLong(row.substring(0, space)), e.sessionId(), e.runId(), e.tool(), e.order(),
                    e.success(), e.millis(), e.prompt(), e.createdAt()));
        }
        return out;
    }

    @Override
    public Optional<String> cachedResult(String inputHash, long notBeforeMillis) {
        Map<String, String> h = call(r -> r.hgetall(keys.tools("cache:" + inputHash)).toCompletableFuture());
        if (h == null || h.isEmpty() || Long.parseLong(h.getOrDefault("created", "0")) < notBeforeMillis) return Optional.empty();
        return Optional.ofNullable(h.get("result"));
    }

    @Override
    public void cacheResult(String inputHash, String tool, String result) {
        call(r -> r.hset(keys.tools("cache:" + inputHash), Map.of("tool", tool, "result", result,
                "created", Long.toString(System.currentTimeMillis()))).toCompletableFuture());
    }

    @Override
    public void recordWorkflow(Workflow w) {
        String json = write(w);
        call(r -> r.rpush(keys.tools("workflows"), json).toCompletableFuture()
                .thenCompose(n -> r.rpush(keys.tools("workflows:" + w.sessionId()), json).toCompletableFuture()));
    }

    @Override
    public List<Workflow> workflows() {
        return workflowsAt(keys.tools("workflows"));
    }

    @Override
    public List<Workflow> workflows(String sessionId) {
        return workflowsAt(keys.tools("workflows:" + sessionId));
    }

    private List<Workflow> workflowsAt(String key) {
        return call(r -> r.lrange(key, 0, -1).toCompletableFuture()).stream().map(j -> read(j, Workflow.class)).toList();
    }

    @Override
    public long recordReflection(Reflection reflection) {
        String json = write(reflection);
        String key = keys.tools("reflections:" + reflection.tool());
        return call(r -> r.incr(keys.tools("reflection:seq")).toCompletableFuture()
                .thenCompose(id -> r.rpush(key, id + " " + json).toCompletableFuture().thenApply(n -> id)));
    }

    @Override
    public List<Reflection> reflections(String tool) {
        List<Reflection> out = new ArrayList<>();
        for (String row : call(r -> r.lrange(keys.tools("reflections:" + tool), 0, -1).toCompletableFuture())) {
            int space = row.indexOf(' ');
            Reflection x = read(row.substring(space + 1), Reflection.class);
            out.add(new Reflection(Long.parseLong(row.substring(0, space)), x.sessionId(), x.runId(), x.tool(), x.error(),
                    x.rootCause(), x.createdAt()));
        }
        return out;
    }

    @Override
    public void putPattern(Pattern pattern) {
        String json = write(pattern);
        call(r -> r.hset(keys.tools("patterns"), pattern.name(), json).toCompletableFuture()
                .thenCompose(n -> r.incr(keys.tools("version")).toCompletableFuture()));
    }

    @Override
    public Optional<Pattern> pattern(String name) {
        String json = call(r -> r.hget(keys.tools("patterns"), name).toCompletableFuture());
        return Optional.ofNullable(json).map(j -> read(j, Pattern.class));
    }

    @Override
    public List<Pattern> patterns() {
        Map<String, String> all = call(r -> r.hgetall(keys.tools("patterns")).toCompletableFuture());
        return all.values().stream().map(j -> read(j, Pattern.class))
                .sorted(Comparator.comparingInt(Pattern::frequency).reversed().thenComparing(Pattern::name)).toList();
    }

    @Override
    public <T> T exclusive(Supplier<T> work) {
        String token = Ids.random(12);
        String lock = keys.tools("lock");
        local.lock(); // one waiter per node
        try {
            long deadline = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000;
            long pause = 5;
            while (!"OK".equals(call(r -> r.set(lock, token, SetArgs.Builder.nx().px(LOCK_MILLIS)).toCompletableFuture()))) {
                if (System.nanoTime() > deadline) {
                    throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "the tool registry's lock in Redis at "
                            + cluster.config().address() + " was not granted within " + LOCK_WAIT_MILLIS + " ms");
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "interrupted waiting for the tool registry's lock");
                }
                pause = Math.min(100, pause * 2);
            }
            try {
                return work.get();
            } finally {
                call(r -> Script.UNLOCK.run(r, new String[] {lock}, token));
            }
        } finally {
            local.unlock();
        }
    }

    /** Nothing to release: the cluster owns the connection. */
    @Override
    public void close() { }

    // --- helpers ---

    private String toolKey(String name) {
        return keys.tools("tool:" + name);
    }

    /** One tool with its statistics (two pipelined reads); null when it is not stored. */
    private CompletableFuture<StoredTool> read(RedisAsyncCommands<String, String> r, String name) {
        CompletableFuture<Map<String, String>> h = r.hgetall(toolKey(name)).toCompletableFuture();
        CompletableFuture<List<String>> last = r.lrange(toolKey(name) + ":last", 0, 49).toCompletableFuture();
        return h.thenCombine(last, (m, outcomes) -> {
            if (m == null || !m.containsKey("def")) return null;
            double rate = outcomes.isEmpty() ? 0.5
                    : outcomes.stream().mapToInt(o -> "1".equals(o) ? 1 : 0).average().orElse(0.5);
            return new StoredTool(name, (ObjectNode) read(m.get("def"), com.fasterxml.jackson.databind.JsonNode.class),
                    ToolStore.floats(Base64.getDecoder().decode(m.get("emb"))), Long.parseLong(m.get("created")),
                    Long.parseLong(m.get("updated")), Long.parseLong(m.getOrDefault("usage", "0")), rate);
        });
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "the tool registry in Redis holds an unreadable "
                    + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }
}
