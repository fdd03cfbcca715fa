package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ToolCatalog;
import io.agentwire.core.ToolStore;
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
 * between tools (consecutive tools of the recorded workflows, type {@code sequence}). Blocking (reads of the registry's store).
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
        List<ToolStore.StoredTool> stored = new ArrayList<>(registry.stored());
        stored.sort(Comparator.comparingLong(ToolStore.StoredTool::createdAt).reversed()
                .thenComparing(ToolStore.StoredTool::name));
        List<ObjectNode> out = new ArrayList<>();
        for (ToolStore.StoredTool r : stored) {
            JsonNode d = r.definition();
            ObjectNode t = JSON.createObjectNode().put("name", r.name())
                    .put("docstring", d.path("docstring").asText(""))
                    .put("created_at", iso(r.createdAt()));
            t.set("file_path", file(r, ""));
            t.put("experimental", d.path("experimental").asBoolean());
            t.set("component_tools", d.path("components").isArray() ? d.get("components").deepCopy() : JSON.createArrayNode());
            out.add(t);
        }
        return out;
    }

    @Override
    public Optional<ObjectNode> tool(String name) {
        return registry.store().tool(name).map(r -> {
            JsonNode d = r.definition();
            ObjectNode t = JSON.createObjectNode().put("name", r.name())
                    .put("code", d.path("code").asText("")).put("test_code", d.path("testCode").asText(""))
                    .put("docstring", d.path("docstring").asText(""))
                    .put("timestamp", iso(r.createdAt()));
            t.set("file_path", file(r, ""));
            t.set("test_path", file(r, "test_"));
            t.put("experimental", d.path("experimental").asBoolean());
            return t;
        });
    }

    @Override
    public List<ObjectNode> relationships(String toolName, double minConfidence) {
        Map<String, int[]> pairs = new LinkedHashMap<>(); // "a\u0000b" → {count, successes}
        for (ToolStore.Workflow w : registry.store().workflows()) {
            List<String> seq = w.sequence();
            for (int i = 0; i + 1 < seq.size(); i++) {
                int[] c = pairs.computeIfAbsent(seq.get(i) + "\u0000" + seq.get(i + 1), k -> new int[2]);
                c[0]++;
                if (w.success()) c[1]++;
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
        for (ToolStore.Execution e : registry.store().executions(sessionId, limit)) {
            ObjectNode r = JSON.createObjectNode().put("id", e.id()).put("session_id", e.sessionId())
                    .put("run_id", e.runId()).put("tool_name", e.tool()).put("execution_order", e.order())
                    .put("success", e.success()).put("user_prompt", e.prompt())
                    .put("created_at", iso(e.createdAt())).put("execution_time_ms", e.millis());
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

    /** A plain tool's file on this node ({@code <data-dir>/tools/<prefix><name>.py}); null for a composite tool. */
    private JsonNode file(ToolStore.StoredTool t, String prefix) {
        if (t.definition().path("components").size() > 0) return JSON.nullNode();
        return JSON.getNodeFactory().textNode(registry.toolsDir().resolve(prefix + t.name() + ".py").toString());
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
