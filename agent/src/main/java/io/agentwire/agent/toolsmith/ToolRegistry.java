package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable tool registry: one SQLite file ({@code <data-dir>/toolsmith.db}) with the tools (name, docstring,
 * signature, code, tests, experimental flag, created/updated, embedding), their executions (success and usage),
 * the execution cache, the recorded workflows and the mined patterns; each tool's files are kept as
 * {@code <data-dir>/tools/<name>.py} and {@code tools/test_<name>.py}. Thread-safe (one connection, serialized).
 */
public final class ToolRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Tool.Param>> PARAMS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    /** A tool and its embedding. */
    public record Entry(Tool tool, float[] embedding) { }

    private final Connection db;
    private final Path toolsDir;
    private final AtomicLong version = new AtomicLong();

    private ToolRegistry(Connection db, Path toolsDir) {
        this.db = db;
        this.toolsDir = toolsDir;
    }

    /** Opens (creating if needed) the registry under {@code dataDir}. */
    public static ToolRegistry open(Path dataDir) {
        try {
            Files.createDirectories(dataDir.resolve("tools"));
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("toolsmith.db"));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("""
                    CREATE TABLE IF NOT EXISTS tools(name TEXT PRIMARY KEY, docstring TEXT NOT NULL, params TEXT NOT NULL,
                      return_type TEXT NOT NULL, code TEXT NOT NULL, test_code TEXT NOT NULL, experimental INTEGER NOT NULL,
                      components TEXT NOT NULL, embedding BLOB NOT NULL, file_path TEXT, test_path TEXT,
                      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)""");
                s.execute("""
                    CREATE TABLE IF NOT EXISTS tool_executions(id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT,
                      run_id TEXT, tool_name TEXT NOT NULL, execution_order INTEGER, success INTEGER NOT NULL,
                      execution_ms INTEGER, user_prompt TEXT, created_at INTEGER NOT NULL)""");
                s.execute("CREATE INDEX IF NOT EXISTS tool_executions_tool ON tool_executions(tool_name, id)");
                s.execute("""
                    CREATE TABLE IF NOT EXISTS execution_cache(input_hash TEXT PRIMARY KEY, tool_name TEXT NOT NULL,
                      result TEXT NOT NULL, created_at INTEGER NOT NULL)""");
                s.execute("""
                    CREATE TABLE IF NOT EXISTS workflows(id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, run_id TEXT,
                      tool_sequence TEXT NOT NULL, success INTEGER NOT NULL, user_prompt TEXT, created_at INTEGER NOT NULL)""");
                s.execute("""
                    CREATE TABLE IF NOT EXISTS workflow_patterns(name TEXT PRIMARY KEY, tool_sequence TEXT NOT NULL,
                      frequency INTEGER NOT NULL, success_rate REAL NOT NULL, confidence REAL NOT NULL, embedding BLOB,
                      promoted_to TEXT, updated_at INTEGER NOT NULL)""");
            }
            return new ToolRegistry(c, dataDir.resolve("tools"));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not open the tool registry under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Changes whenever a tool or its statistics change (for the search's cache). */
    public long version() {
        return version.get();
    }

    public Path toolsDir() {
        return toolsDir;
    }

    /** Registers (or replaces) a tool and writes its files. */
    public synchronized void register(Tool tool, float[] embedding) {
        Path file = toolsDir.resolve(tool.name() + ".py");
        Path test = toolsDir.resolve("test_" + tool.name() + ".py");
        try {
            if (!tool.composite()) {
                Files.writeString(file, tool.code());
                Files.writeString(test, tool.testCode());
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement p = db.prepareStatement("""
                    INSERT INTO tools(name, docstring, params, return_type, code, test_code, experimental, components,
                      embedding, file_path, test_path, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT(name) DO UPDATE SET docstring=excluded.docstring, params=excluded.params,
                      return_type=excluded.return_type, code=excluded.code, test_code=excluded.test_code,
                      experimental=excluded.experimental, components=excluded.components, embedding=excluded.embedding,
                      file_path=excluded.file_path, test_path=excluded.test_path, updated_at=excluded.updated_at""")) {
                p.setString(1, tool.name());
                p.setString(2, tool.docstring());
                p.setString(3, JSON.writeValueAsString(tool.params()));
                p.setString(4, tool.returnType());
                p.setString(5, tool.code());
                p.setString(6, tool.testCode());
                p.setInt(7, tool.experimental() ? 1 : 0);
                p.setString(8, JSON.writeValueAsString(tool.components()));
                p.setBytes(9, bytes(embedding));
                p.setString(10, tool.composite() ? null : file.toString());
                p.setString(11, tool.composite() ? null : test.toString());
                p.setLong(12, now);
                p.setLong(13, now);
                p.executeUpdate();
            }
            version.incrementAndGet();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not register the tool " + tool.name() + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<Tool> get(String name) {
        return query("SELECT * FROM tools WHERE name = ?", name).stream().map(Entry::tool).findFirst();
    }

    /** Every tool with its embedding. */
    public synchronized List<Entry> entries() {
        return query("SELECT * FROM tools ORDER BY created_at", null);
    }

    public synchronized int count() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM tools")) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Removes the tools whose file is gone (not composite tools); returns how many. */
    public synchronized int cleanupOrphans() {
        int removed = 0;
        for (Entry e : entries()) {
            if (e.tool().composite() || Files.exists(toolsDir.resolve(e.tool().name() + ".py"))) continue;
            update("DELETE FROM tools WHERE name = ?", e.tool().name());
            removed++;
        }
        if (removed > 0) version.incrementAndGet();
        return removed;
    }

    /** Records one execution of a tool (its success rate and usage follow). */
    public synchronized void recordExecution(String sessionId, String runId, String tool, int order, boolean success,
                                             long millis, String prompt) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO tool_executions(session_id, run_id, tool_name, "
                + "execution_order, success, execution_ms, user_prompt, created_at) VALUES(?,?,?,?,?,?,?,?)")) {
            p.setString(1, sessionId);
            p.setString(2, runId);
            p.setString(3, tool);
            p.setInt(4, order);
            p.setInt(5, success ? 1 : 0);
            p.setLong(6, millis);
            p.setString(7, prompt);
            p.setLong(8, System.currentTimeMillis());
            p.executeUpdate();
            version.incrementAndGet();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    // --- execution cache ---

    public synchronized Optional<String> cached(String inputHash, long notBeforeMillis) {
        try (PreparedStatement p = db.prepareStatement(
                "SELECT result FROM execution_cache WHERE input_hash = ? AND created_at >= ?")) {
            p.setString(1, inputHash);
            p.setLong(2, notBeforeMillis);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized void cache(String inputHash, String tool, String result) {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO execution_cache(input_hash, tool_name, "
                + "result, created_at) VALUES(?,?,?,?)")) {
            p.setString(1, inputHash);
            p.setString(2, tool);
            p.setString(3, result);
            p.setLong(4, System.currentTimeMillis());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    // --- workflows and patterns ---

    public synchronized void recordWorkflow(String sessionId, String runId, List<String> sequence, boolean success,
                                            String prompt) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO workflows(session_id, run_id, tool_sequence, success, "
                + "user_prompt, created_at) VALUES(?,?,?,?,?,?)")) {
            p.setString(1, sessionId);
            p.setString(2, runId);
            p.setString(3, JSON.writeValueAsString(sequence));
            p.setInt(4, success ? 1 : 0);
            p.setString(5, prompt);
            p.setLong(6, System.currentTimeMillis());
            p.executeUpdate();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not record the workflow: " + e.getMessage(), e);
        }
    }

    /** The workflows recorded for a session, oldest first (each a tool sequence). */
    public synchronized List<List<String>> workflows(String sessionId) {
        List<List<String>> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT tool_sequence FROM workflows WHERE session_id = ? ORDER BY id")) {
            p.setString(1, sessionId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) out.add(JSON.readValue(r.getString(1), STRINGS));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public synchronized void savePattern(WorkflowPattern pattern) {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO workflow_patterns(name, tool_sequence, "
                + "frequency, success_rate, confidence, embedding, promoted_to, updated_at) VALUES(?,?,?,?,?,?,?,?)")) {
            p.setString(1, pattern.name());
            p.setString(2, JSON.writeValueAsString(pattern.sequence()));
            p.setInt(3, pattern.frequency());
            p.setDouble(4, pattern.successRate());
            p.setDouble(5, pattern.confidence());
            p.setBytes(6, pattern.embedding() == null ? null : bytes(pattern.embedding()));
            p.setString(7, pattern.promotedTo());
            p.setLong(8, System.currentTimeMillis());
            p.executeUpdate();
            version.incrementAndGet();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not save the pattern " + pattern.name() + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<WorkflowPattern> pattern(String name) {
        return patterns().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public synchronized List<WorkflowPattern> patterns() {
        List<WorkflowPattern> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM workflow_patterns ORDER BY frequency DESC, name")) {
            while (r.next()) {
                byte[] emb = r.getBytes("embedding");
                out.add(new WorkflowPattern(r.getString("name"), JSON.readValue(r.getString("tool_sequence"), STRINGS),
                        r.getInt("frequency"), r.getDouble("success_rate"), r.getDouble("confidence"),
                        emb == null ? null : floats(emb), r.getString("promoted_to")));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The rows of a query as JSON objects (column name → value), for the catalog. */
    synchronized List<com.fasterxml.jackson.databind.node.ObjectNode> rows(String sql, Object... args) {
        List<com.fasterxml.jackson.databind.node.ObjectNode> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
            try (ResultSet r = p.executeQuery()) {
                java.sql.ResultSetMetaData m = r.getMetaData();
                while (r.next()) {
                    com.fasterxml.jackson.databind.node.ObjectNode row = JSON.createObjectNode();
                    for (int c = 1; c <= m.getColumnCount(); c++) {
                        Object v = r.getObject(c);
                        String name = m.getColumnLabel(c);
                        if (v == null) row.putNull(name);
                        else if (v instanceof Integer || v instanceof Long) row.put(name, ((Number) v).longValue());
                        else if (v instanceof Number n) row.put(name, n.doubleValue());
                        else if (v instanceof byte[]) continue;
                        else row.put(name, v.toString());
                    }
                    out.add(row);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    // --- helpers ---

    private List<Entry> query(String sql, String arg) {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (arg != null) p.setString(1, arg);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Tool tool = new Tool(r.getString("name"), r.getString("docstring"),
                            JSON.readValue(r.getString("params"), PARAMS), r.getString("return_type"), r.getString("code"),
                            r.getString("test_code"), r.getInt("experimental") != 0,
                            JSON.readValue(r.getString("components"), STRINGS), 0, 0.5);
                    out.add(new Entry(tool, floats(r.getBytes("embedding"))));
                }
            }
            java.util.Map<String, double[]> stats = stats();
            List<Entry> withStats = new ArrayList<>(out.size());
            for (Entry e : out) {
                double[] st = stats.getOrDefault(e.tool().name(), new double[] {0, 0.5});
                withStats.add(new Entry(e.tool().withStats((long) st[0], st[1]), e.embedding()));
            }
            return withStats;
        } catch (SQLException e) {
            throw failure(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per tool: {usage count, success rate of its last 50 executions}. */
    private java.util.Map<String, double[]> stats() throws SQLException {
        java.util.Map<String, double[]> out = new java.util.HashMap<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                "SELECT tool_name, count(*) FROM tool_executions GROUP BY tool_name")) {
            while (r.next()) out.put(r.getString(1), new double[] {r.getLong(2), 0.5});
        }
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("""
                SELECT tool_name, avg(success) FROM (SELECT tool_name, success,
                  row_number() OVER (PARTITION BY tool_name ORDER BY id DESC) AS n FROM tool_executions)
                WHERE n <= 50 GROUP BY tool_name""")) {
            while (r.next()) {
                double[] st = out.get(r.getString(1));
                if (st != null) st[1] = r.getDouble(2);
            }
        }
        return out;
    }

    private void update(String sql, String arg) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setString(1, arg);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("tool registry: " + e.getMessage(), e);
    }

    static byte[] bytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static float[] floats(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
        return v;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
