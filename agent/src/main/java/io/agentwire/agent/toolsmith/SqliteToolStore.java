package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ToolStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The tool registry of one node: one SQLite file ({@code <data-dir>/toolsmith.db}) with the tools, their executions,
 * the execution cache, the workflows and the patterns. One connection, serialized.
 */
public final class SqliteToolStore implements ToolStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Object>> ANY = new TypeReference<>() { };

    private final Connection db;
    private final AtomicLong version = new AtomicLong();

    private SqliteToolStore(Connection db) {
        this.db = db;
    }

    /** Opens (creating if needed) {@code <dataDir>/toolsmith.db}. */
    public static SqliteToolStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
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
                    CREATE TABLE IF NOT EXISTS reflection_log(id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT,
                      run_id TEXT, tool_name TEXT NOT NULL, error TEXT NOT NULL, root_cause TEXT NOT NULL,
                      created_at INTEGER NOT NULL)""");
                s.execute("""
                    CREATE TABLE IF NOT EXISTS workflow_patterns(name TEXT PRIMARY KEY, tool_sequence TEXT NOT NULL,
                      frequency INTEGER NOT NULL, success_rate REAL NOT NULL, confidence REAL NOT NULL, embedding BLOB,
                      promoted_to TEXT, updated_at INTEGER NOT NULL)""");
            }
            return new SqliteToolStore(c);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not open the tool registry under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long version() {
        return version.get();
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public synchronized void putTool(String name, ObjectNode d, float[] embedding) {
        long now = System.currentTimeMillis();
        try (PreparedStatement p = db.prepareStatement("""
                INSERT INTO tools(name, docstring, params, return_type, code, test_code, experimental, components,
                  embedding, file_path, test_path, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(name) DO UPDATE SET docstring=excluded.docstring, params=excluded.params,
                  return_type=excluded.return_type, code=excluded.code, test_code=excluded.test_code,
                  experimental=excluded.experimental, components=excluded.components, embedding=excluded.embedding,
                  file_path=excluded.file_path, test_path=excluded.test_path, updated_at=excluded.updated_at""")) {
            p.setString(1, name);
            p.setString(2, d.path("docstring").asText(""));
            p.setString(3, d.path("params").toString());
            p.setString(4, d.path("returnType").asText("Any"));
            p.setString(5, d.path("code").asText(""));
            p.setString(6, d.path("testCode").asText(""));
            p.setInt(7, d.path("experimental").asBoolean() ? 1 : 0);
            p.setString(8, d.path("components").toString());
            p.setBytes(9, ToolStore.bytes(embedding));
            p.setString(10, d.path("file_path").isTextual() ? d.get("file_path").asText() : null);
            p.setString(11, d.path("test_path").isTextual() ? d.get("test_path").asText() : null);
            p.setLong(12, now);
            p.setLong(13, now);
            p.executeUpdate();
            version.incrementAndGet();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized Optional<StoredTool> tool(String name) {
        return tools("SELECT * FROM tools WHERE name = ?", name).stream().findFirst();
    }

    @Override
    public synchronized List<StoredTool> tools() {
        return tools("SELECT * FROM tools ORDER BY created_at, name", null);
    }

    @Override
    public synchronized int toolCount() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM tools")) {
            return r.next() ? r.getInt(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void removeTool(String name) {
        update("DELETE FROM tools WHERE name = ?", name);
        version.incrementAndGet();
    }

    @Override
    public synchronized void recordExecution(Execution e) {
        update("INSERT INTO tool_executions(session_id, run_id, tool_name, execution_order, success, execution_ms, "
                + "user_prompt, created_at) VALUES(?,?,?,?,?,?,?,?)", e.sessionId(), e.runId(), e.tool(), e.order(),
                e.success() ? 1 : 0, e.millis(), e.prompt(), e.createdAt());
        version.incrementAndGet();
    }

    @Override
    public synchronized List<Execution> executions(String sessionId, int limit) {
        List<Execution> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT id, session_id, run_id, tool_name, execution_order, success, "
                + "execution_ms, user_prompt, created_at FROM tool_executions WHERE session_id = ? ORDER BY id LIMIT ?")) {
            p.setString(1, sessionId);
            p.setInt(2, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Execution(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5),
                            r.getInt(6) != 0, r.getLong(7), r.getString(8), r.getLong(9)));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized Optional<String> cachedResult(String inputHash, long notBeforeMillis) {
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

    @Override
    public synchronized void cacheResult(String inputHash, String tool, String result) {
        update("INSERT OR REPLACE INTO execution_cache(input_hash, tool_name, result, created_at) VALUES(?,?,?,?)",
                inputHash, tool, result, System.currentTimeMillis());
    }

    @Override
    public synchronized void recordWorkflow(Workflow w) {
        update("INSERT INTO workflows(session_id, run_id, tool_sequence, success, user_prompt, created_at) "
                + "VALUES(?,?,?,?,?,?)", w.sessionId(), w.runId(), json(w.sequence()), w.success() ? 1 : 0, w.prompt(),
                w.createdAt());
    }

    @Override
    public synchronized List<Workflow> workflows() {
        return workflows("SELECT * FROM workflows ORDER BY id", null);
    }

    @Override
    public synchronized List<Workflow> workflows(String sessionId) {
        return workflows("SELECT * FROM workflows WHERE session_id = ? ORDER BY id", sessionId);
    }

    @Override
    public synchronized long recordReflection(Reflection r) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO reflection_log(session_id, run_id, tool_name, error, "
                + "root_cause, created_at) VALUES(?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, r.sessionId());
            p.setString(2, r.runId());
            p.setString(3, r.tool());
            p.setString(4, r.error());
            p.setString(5, r.rootCause());
            p.setLong(6, r.createdAt());
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized List<Reflection> reflections(String tool) {
        List<Reflection> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT id, session_id, run_id, tool_name, error, root_cause, "
                + "created_at FROM reflection_log WHERE tool_name = ? ORDER BY id")) {
            p.setString(1, tool);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Reflection(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getLong(7)));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public synchronized void putPattern(Pattern pattern) {
        update("INSERT OR REPLACE INTO workflow_patterns(name, tool_sequence, frequency, success_rate, confidence, "
                + "embedding, promoted_to, updated_at) VALUES(?,?,?,?,?,?,?,?)", pattern.name(), json(pattern.sequence()),
                pattern.frequency(), pattern.successRate(), pattern.confidence(),
                pattern.embedding() == null ? null : ToolStore.bytes(pattern.embedding()), pattern.promotedTo(),
                System.currentTimeMillis());
        version.incrementAndGet();
    }

    @Override
    public synchronized Optional<Pattern> pattern(String name) {
        return patterns().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<Pattern> patterns() {
        List<Pattern> out = new ArrayList<>();
        try (Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM workflow_patterns ORDER BY frequency DESC, name")) {
            while (r.next()) {
                byte[] emb = r.getBytes("embedding");
                out.add(new Pattern(r.getString("name"), JSON.readValue(r.getString("tool_sequence"), STRINGS),
                        r.getInt("frequency"), r.getDouble("success_rate"), r.getDouble("confidence"),
                        emb == null ? null : ToolStore.floats(emb), r.getString("promoted_to")));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("tool registry: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public synchronized <T> T exclusive(Supplier<T> work) {
        return work.get();
    }

    // --- helpers ---

    private List<StoredTool> tools(String sql, String arg) {
        List<StoredTool> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (arg != null) p.setString(1, arg);
            Map<String, double[]> stats = stats();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ObjectNode d = JSON.createObjectNode().put("name", r.getString("name"))
                            .put("docstring", r.getString("docstring")).put("returnType", r.getString("return_type"))
                            .put("code", r.getString("code")).put("testCode", r.getString("test_code"))
                            .put("experimental", r.getInt("experimental") != 0);
                    d.set("params", JSON.valueToTree(JSON.readValue(r.getString("params"), ANY)));
                    d.set("components", JSON.valueToTree(JSON.readValue(r.getString("components"), STRINGS)));
                    double[] st = stats.getOrDefault(r.getString("name"), new double[] {0, 0.5});
                    out.add(new StoredTool(r.getString("name"), d, ToolStore.floats(r.getBytes("embedding")),
                            r.getLong("created_at"), r.getLong("updated_at"), (long) st[0], st[1]));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        } catch (IOException e) {
            throw new IllegalStateException("tool registry: " + e.getMessage(), e);
        }
        return out;
    }

    /** Per tool: {usage count, success rate of its last 50 executions}. */
    private Map<String, double[]> stats() throws SQLException {
        Map<String, double[]> out = new HashMap<>();
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

    private List<Workflow> workflows(String sql, String arg) {
        List<Workflow> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            if (arg != null) p.setString(1, arg);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Workflow(r.getString("session_id"), r.getString("run_id"),
                            JSON.readValue(r.getString("tool_sequence"), STRINGS), r.getInt("success") != 0,
                            r.getString("user_prompt"), r.getLong("created_at")));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("tool registry: " + e.getMessage(), e);
        }
        return out;
    }

    /** Runs one statement with {@code args} bound in order. */
    private void update(String sql, Object... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static String json(List<String> sequence) {
        try {
            return JSON.writeValueAsString(sequence);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("tool registry: " + e.getMessage(), e);
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
