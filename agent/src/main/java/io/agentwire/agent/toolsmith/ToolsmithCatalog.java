package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ToolCatalog;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The toolsmith's registry as the {@link ToolCatalog} dialects read (spec 001's {@code tool_count},
 * {@code /api/tools}, {@code /api/analytics/*}): tools, their executions, the mined patterns, and the relationships
 * between tools (consecutive tools of the recorded workflows, type {@code sequence}). Blocking (SQLite reads).
 */
final class ToolsmithCatalog implements ToolCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToolRegistry registry;
    private final int confidenceFrequency;

    ToolsmithCatalog(ToolRegistry registry, int confidenceFrequency) {
        this.registry = registry;
        this.confidenceFrequency = confidenceFrequency;
    }

    @Override
    public int count() {
        return registry.count();
    }

    @Override
    public List<ObjectNode> tools() {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : registry.rows("SELECT name, docstring, created_at, file_path, experimental, components "
                + "FROM tools ORDER BY created_at DESC, name")) {
            ObjectNode t = JSON.createObjectNode().put("name", r.path("name").asText())
                    .put("docstring", r.path("docstring").asText(""))
                    .put("created_at", iso(r.path("created_at").asLong()));
            t.set("file_path", r.path("file_path"));
            t.put("experimental", r.path("experimental").asLong() != 0);
            t.set("component_tools", array(r.path("components").asText("[]")));
            out.add(t);
        }
        return out;
    }

    @Override
    public Optional<ObjectNode> tool(String name) {
        return registry.rows("SELECT name, code, test_code, docstring, created_at, file_path, test_path, experimental "
                + "FROM tools WHERE name = ?", name).stream().findFirst().map(r -> {
                    ObjectNode t = JSON.createObjectNode().put("name", r.path("name").asText())
                            .put("code", r.path("code").asText("")).put("test_code", r.path("test_code").asText(""))
                            .put("docstring", r.path("docstring").asText(""))
                            .put("timestamp", iso(r.path("created_at").asLong()));
                    t.set("file_path", r.path("file_path"));
                    t.set("test_path", r.path("test_path"));
                    t.put("experimental", r.path("experimental").asLong() != 0);
                    return t;
                });
    }

    @Override
    public List<ObjectNode> relationships(String toolName, double minConfidence) {
        Map<String, int[]> pairs = new LinkedHashMap<>(); // "a\u0000b" → {count, successes}
        for (ObjectNode w : registry.rows("SELECT tool_sequence, success FROM workflows ORDER BY id")) {
            JsonNode seq = array(w.path("tool_sequence").asText("[]"));
            for (int i = 0; i + 1 < seq.size(); i++) {
                int[] c = pairs.computeIfAbsent(seq.get(i).asText() + "\u0000" + seq.get(i + 1).asText(), k -> new int[2]);
                c[0]++;
                if (w.path("success").asLong() != 0) c[1]++;
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        pairs.forEach((key, c) -> {
            String[] ab = key.split("\u0000");
            if (toolName != null && !toolName.equals(ab[0]) && !toolName.equals(ab[1])) return;
            double success = c[1] / (double) c[0];
            double confidence = Math.min(0.95, success * Math.min(1.0, c[0] / (double) confidenceFrequency));
            if (confidence < minConfidence) return;
            out.add(JSON.createObjectNode().put("tool_a", ab[0]).put("tool_b", ab[1]).put("relationship_type", "sequence")
                    .put("frequency_count", c[0]).put("success_rate", success).put("confidence_score", confidence));
        });
        out.sort(Comparator.comparingDouble((ObjectNode o) -> o.path("confidence_score").asDouble()).reversed());
        return out;
    }

    @Override
    public List<ObjectNode> patterns(int minFrequency, int limit) {
        List<ObjectNode> out = new ArrayList<>();
        for (WorkflowPattern p : registry.patterns()) {
            if (p.frequency() < minFrequency || out.size() >= limit) continue;
            ObjectNode o = JSON.createObjectNode().put("pattern_name", p.name());
            ArrayNode seq = o.putArray("tool_sequence");
            p.sequence().forEach(seq::add);
            o.put("frequency", p.frequency()).put("success_rate", p.successRate()).put("confidence", p.confidence());
            if (p.promotedTo() == null) o.putNull("promoted_to");
            else o.put("promoted_to", p.promotedTo());
            out.add(o);
        }
        return out;
    }

    @Override
    public List<ObjectNode> executions(String sessionId, int limit) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode r : registry.rows("SELECT id, session_id, run_id, tool_name, execution_order, success, execution_ms, "
                + "user_prompt, created_at FROM tool_executions WHERE session_id = ? ORDER BY id LIMIT ?", sessionId, limit)) {
            r.put("success", r.path("success").asLong() != 0);
            r.put("execution_time_ms", r.path("execution_ms").asLong());
            r.remove("execution_ms");
            r.put("created_at", iso(r.path("created_at").asLong()));
            out.add(r);
        }
        return out;
    }

    @Override
    public ObjectNode stats() {
        List<WorkflowPattern> patterns = registry.patterns();
        List<ObjectNode> relationships = relationships(null, 0);
        ObjectNode stats = JSON.createObjectNode().put("total_patterns", patterns.size())
                .put("total_relationships", relationships.size());
        if (patterns.isEmpty()) {
            stats.putNull("most_frequent_pattern");
        } else {
            WorkflowPattern top = patterns.get(0); // most frequent first
            ObjectNode p = stats.putObject("most_frequent_pattern").put("name", top.name()).put("frequency", top.frequency());
            ArrayNode tools = p.putArray("tools");
            top.sequence().forEach(tools::add);
        }
        Map<String, Integer> connections = new HashMap<>();
        for (ObjectNode r : relationships) {
            connections.merge(r.path("tool_a").asText(), 1, Integer::sum);
            connections.merge(r.path("tool_b").asText(), 1, Integer::sum);
        }
        ArrayNode most = stats.putArray("most_connected_tools");
        connections.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey())).limit(5)
                .forEach(e -> most.addObject().put("tool", e.getKey()).put("connections", e.getValue()));
        return stats;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static JsonNode array(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n != null && n.isArray() ? n : JSON.createArrayNode();
        } catch (IOException e) {
            return JSON.createArrayNode();
        }
    }
}
