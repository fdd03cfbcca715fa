package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ToolStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The tool registry: tools, their executions (success and usage), the execution cache, the recorded workflows and
 * the mined patterns, kept in a {@link ToolStore} — {@link SqliteToolStore} ({@code <data-dir>/toolsmith.db}) on one
 * node, a shared store in cluster mode. Each tool's files are kept as {@code <data-dir>/tools/<name>.py} and
 * {@code tools/test_<name>.py}; with a shared store they are written on every node that reads the tool from the
 * store (a tool registered on another node is materialised here). Thread-safe.
 */
public final class ToolRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A tool and its embedding. */
    public record Entry(Tool tool, float[] embedding) { }

    private final ToolStore store;
    private final Path toolsDir;
    /** The code and tests last written per tool, so unchanged files are not read back on every listing. */
    private final java.util.Map<String, String> written = new java.util.concurrent.ConcurrentHashMap<>();

    public ToolRegistry(ToolStore store, Path dataDir) {
        this.store = store;
        this.toolsDir = dataDir.resolve("tools");
        try {
            Files.createDirectories(toolsDir);
        } catch (IOException e) {
            throw new IllegalStateException("could not create " + toolsDir + ": " + e.getMessage(), e);
        }
    }

    /** Opens (creating if needed) the SQLite registry under {@code dataDir}. */
    public static ToolRegistry open(Path dataDir) {
        return new ToolRegistry(SqliteToolStore.open(dataDir), dataDir);
    }

    /** Changes whenever a tool, its statistics or a pattern change, here or on a node sharing the store. */
    public long version() {
        return store.version();
    }

    public Path toolsDir() {
        return toolsDir;
    }

    public ToolStore store() {
        return store;
    }

    /** Registers (or replaces) a tool and writes its files. */
    public void register(Tool tool, float[] embedding) {
        Path file = toolsDir.resolve(tool.name() + ".py");
        Path test = toolsDir.resolve("test_" + tool.name() + ".py");
        materialise(tool);
        ObjectNode d = JSON.valueToTree(tool);
        d.remove("usageCount");
        d.remove("successRate");
        if (!tool.composite()) d.put("file_path", file.toString()).put("test_path", test.toString());
        store.putTool(tool.name(), d, embedding);
    }

    public Optional<Tool> get(String name) {
        return store.tool(name).map(t -> entry(t).tool());
    }

    /** Every tool with its embedding. */
    public List<Entry> entries() {
        return store.tools().stream().map(this::entry).toList();
    }

    /** Every stored tool (definition, times, statistics), for the catalog. */
    List<ToolStore.StoredTool> stored() {
        return store.tools();
    }

    public int count() {
        return store.toolCount();
    }

    /**
     * With a store of its own: removes the tools whose file is gone (not composite tools; the document's orphan
     * cleanup) and returns how many. With a shared store the stored code is the truth: missing files are written.
     */
    public int cleanupOrphans() {
        int removed = 0;
        for (ToolStore.StoredTool t : store.tools()) {
            if (store.shared()) {
                entry(t);
                continue;
            }
            if (t.definition().path("components").size() > 0 || Files.exists(toolsDir.resolve(t.name() + ".py"))) continue;
            store.removeTool(t.name());
            removed++;
        }
        return removed;
    }

    /** Records one execution of a tool (its success rate and usage follow). */
    public void recordExecution(String sessionId, String runId, String tool, int order, boolean success, long millis,
                                String prompt) {
        store.recordExecution(new ToolStore.Execution(0, sessionId, runId, tool, order, success, millis, prompt,
                System.currentTimeMillis()));
    }

    // --- execution cache ---

    public Optional<String> cached(String inputHash, long notBeforeMillis) {
        return store.cachedResult(inputHash, notBeforeMillis);
    }

    public void cache(String inputHash, String tool, String result) {
        store.cacheResult(inputHash, tool, result);
    }

    // --- workflows and patterns ---

    public void recordWorkflow(String sessionId, String runId, List<String> sequence, boolean success, String prompt) {
        store.recordWorkflow(new ToolStore.Workflow(sessionId, runId, sequence, success, prompt, System.currentTimeMillis()));
    }

    /** The workflows recorded for a session, oldest first (each a tool sequence). */
    public List<List<String>> workflows(String sessionId) {
        return store.workflows(sessionId).stream().map(ToolStore.Workflow::sequence).toList();
    }

    public void savePattern(WorkflowPattern p) {
        store.putPattern(new ToolStore.Pattern(p.name(), p.sequence(), p.frequency(), p.successRate(), p.confidence(),
                p.embedding(), p.promotedTo()));
    }

    public Optional<WorkflowPattern> pattern(String name) {
        return store.pattern(name).map(ToolRegistry::pattern);
    }

    public List<WorkflowPattern> patterns() {
        return store.patterns().stream().map(ToolRegistry::pattern).toList();
    }

    /** Runs {@code work} exclusively across every node sharing the store (pattern mining's read-modify-write). */
    <T> T exclusive(Supplier<T> work) {
        return store.exclusive(work);
    }

    // --- helpers ---

    private static WorkflowPattern pattern(ToolStore.Pattern p) {
        return new WorkflowPattern(p.name(), p.sequence(), p.frequency(), p.successRate(), p.confidence(), p.embedding(),
                p.promotedTo());
    }

    /** The stored tool as a {@link Tool} with its statistics; its files written if they are missing or stale. */
    private Entry entry(ToolStore.StoredTool stored) {
        Tool tool;
        try {
            tool = JSON.treeToValue(stored.definition(), Tool.class).withStats(stored.usageCount(), stored.successRate());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("tool registry: the stored tool " + stored.name() + " can not be read: "
                    + e.getMessage(), e);
        }
        if (store.shared()) materialise(tool);
        return new Entry(tool, stored.embedding());
    }

    private void materialise(Tool tool) {
        if (tool.composite() || (tool.code() + "\u0000" + tool.testCode()).equals(written.get(tool.name()))) return;
        try {
            write(toolsDir.resolve(tool.name() + ".py"), tool.code());
            write(toolsDir.resolve("test_" + tool.name() + ".py"), tool.testCode());
            written.put(tool.name(), tool.code() + "\u0000" + tool.testCode());
        } catch (IOException e) {
            throw new IllegalStateException("could not write the files of the tool " + tool.name() + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) return;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + Thread.currentThread().threadId());
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        store.close();
    }
}
