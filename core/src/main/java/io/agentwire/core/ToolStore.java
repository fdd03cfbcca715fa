package io.agentwire.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the {@code toolsmith} agent keeps its tool registry: tools (definition, code, tests, embedding), their
 * executions (usage and success), the execution cache, the recorded workflows and the mined patterns. One node keeps
 * it in SQLite under its data directory (the agent module's {@code SqliteToolStore}); in cluster mode every node
 * shares one in Redis (the redis module's {@code RedisToolStore}), so a tool written on one node is found and run on
 * another. Implementations are thread-safe; methods block (callers are the agent's virtual threads).
 */
public interface ToolStore extends AutoCloseable {

    /**
     * A stored tool.
     *
     * @param name the tool's name (its id)
     * @param definition the tool as JSON (docstring, params, return type, code, tests, experimental, components)
     * @param embedding the embedding of its search text
     * @param createdAt first registration (epoch millis)
     * @param updatedAt last registration (epoch millis)
     * @param usageCount executions so far (all nodes)
     * @param successRate the share of its last 50 executions that succeeded (0.5 before the first)
     */
    record StoredTool(String name, ObjectNode definition, float[] embedding, long createdAt, long updatedAt,
                      long usageCount, double successRate) { }

    /** One execution of a tool ({@code id} is assigned by the store; 0 when recording). */
    record Execution(long id, String sessionId, String runId, String tool, int order, boolean success, long millis,
                     String prompt, long createdAt) { }

    /** One recorded workflow: the tools a run used, in order. */
    record Workflow(String sessionId, String runId, List<String> sequence, boolean success, String prompt, long createdAt) {
        public Workflow {
            sequence = List.copyOf(sequence);
        }
    }

    /** A mined pattern (see the agent's {@code WorkflowPattern}); {@code embedding} and {@code promotedTo} may be null. */
    record Pattern(String name, List<String> sequence, int frequency, double successRate, double confidence,
                   float[] embedding, String promotedTo) {
        public Pattern {
            sequence = List.copyOf(sequence);
        }
    }

    /** A failed execution's analysis: the model's root cause ({@code id} assigned by the store; 0 when recording). */
    record Reflection(long id, String sessionId, String runId, String tool, String error, String rootCause,
                      long createdAt) { }

    /** Changes whenever a tool, its statistics or a pattern changes on any node sharing the store (for caches). */
    long version();

    /** Whether other nodes share this store (then a tool's files are materialised from it, never taken as deleted). */
    boolean shared();

    /** Registers or replaces a tool (keeping its first registration time). */
    void putTool(String name, ObjectNode definition, float[] embedding);

    Optional<StoredTool> tool(String name);

    /** Every tool, oldest registration first. */
    List<StoredTool> tools();

    int toolCount();

    void removeTool(String name);

    /** Records an execution; the tool's usage count and success rate follow atomically. */
    void recordExecution(Execution execution);

    /** A session's executions, oldest first, at most {@code limit}. */
    List<Execution> executions(String sessionId, int limit);

    /** The cached result of an input hash stored at or after {@code notBeforeMillis}. */
    Optional<String> cachedResult(String inputHash, long notBeforeMillis);

    void cacheResult(String inputHash, String tool, String result);

    void recordWorkflow(Workflow workflow);

    /** Every recorded workflow, oldest first. */
    List<Workflow> workflows();

    /** A session's workflows, oldest first. */
    List<Workflow> workflows(String sessionId);

    /** Stores a reflection (the document's {@code reflection_log}); returns its id. */
    long recordReflection(Reflection reflection);

    /** A tool's reflections, oldest first. */
    List<Reflection> reflections(String tool);

    void putPattern(Pattern pattern);

    Optional<Pattern> pattern(String name);

    /** Every pattern, most frequent first, then by name. */
    List<Pattern> patterns();

    /**
     * Runs {@code work} while no other node (or thread) sharing the store runs exclusive work: read-modify-write of
     * patterns. Throws {@link AgentWireException} if the store cannot grant it.
     */
    <T> T exclusive(Supplier<T> work);

    @Override
    void close();

    /** An embedding as bytes (little-endian floats), as stores keep it. */
    static byte[] bytes(float[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /** The embedding {@link #bytes} wrote. */
    static float[] floats(byte[] bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
        return v;
    }
}
