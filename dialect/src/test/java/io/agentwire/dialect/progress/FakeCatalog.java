package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ToolCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A small fixed tool registry for the REST tests, recording what the dialect asked. */
final class FakeCatalog implements ToolCatalog {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    final List<String> asked = new ArrayList<>();

    @Override
    public int count() {
        return 2;
    }

    @Override
    public List<ObjectNode> tools() {
        return List.of(NODES.objectNode().put("name", "calculate_profit_margins").put("docstring", "Profit margins.\nPer row.")
                        .put("created_at", "2026-12-02T10:00:00Z").put("file_path", "tools/calculate_profit_margins.py"),
                NODES.objectNode().put("name", "load_csv_data").putNull("docstring")
                        .put("created_at", "2026-12-01T10:00:00Z").put("file_path", "tools/load_csv_data.py"));
    }

    @Override
    public Optional<ObjectNode> tool(String name) {
        asked.add("tool " + name);
        if (!name.equals("load_csv_data")) return Optional.empty();
        return Optional.of(NODES.objectNode().put("name", name).put("code", "def load_csv_data(path): ...")
                .put("test_code", "def test_load(): ...").put("docstring", "Loads a CSV.")
                .put("timestamp", "2026-12-01T10:00:00Z").put("file_path", "tools/load_csv_data.py")
                .put("test_path", "tools/test_load_csv_data.py"));
    }

    @Override
    public List<ObjectNode> relationships(String toolName, double minConfidence) {
        asked.add("relationships " + toolName + " " + minConfidence);
        return List.of(NODES.objectNode().put("tool_a", "load_csv_data").put("tool_b", "calculate_profit_margins")
                .put("relationship_type", "sequence").put("frequency_count", 3).put("success_rate", 1.0)
                .put("confidence_score", 0.8));
    }

    @Override
    public List<ObjectNode> patterns(int minFrequency, int limit) {
        asked.add("patterns " + minFrequency + " " + limit);
        return List.of(NODES.objectNode().put("pattern_name", "load_csv_data_to_calculate_profit_margins").put("frequency", 3));
    }

    @Override
    public List<ObjectNode> executions(String sessionId, int limit) {
        asked.add("executions " + sessionId + " " + limit);
        return List.of(NODES.objectNode().put("tool_name", "load_csv_data").put("execution_order", 1).put("success", true));
    }

    @Override
    public ObjectNode stats() {
        ObjectNode s = NODES.objectNode().put("total_patterns", 1).put("total_relationships", 1);
        s.putObject("most_frequent_pattern").put("name", "load_csv_data_to_calculate_profit_margins").put("frequency", 3);
        s.putArray("most_connected_tools").addObject().put("tool", "load_csv_data").put("connections", 1);
        return s;
    }
}
