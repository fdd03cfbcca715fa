package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ToolCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The toolsmith's registry as the read-only {@link ToolCatalog} dialects show (the {@code progress} dialect's
 * {@code tool_count}, {@code /api/tools} and {@code /api/analytics/*}, spec 001). Relationships are read off the
 * mined workflow patterns: two tools that follow each other in a pattern are related ({@code sequential}), with the
 * pattern's frequency, success rate and confidence (summed over patterns, the best rate and confidence kept).
 * Blocking (SQLite reads): callers go through {@code Blocking}.
 */
public final class RegistryCatalog implements ToolCatalog {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final ToolRegistry registry;

    public RegistryCatalog(ToolRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public int count() {
        return registry.count();
    }

    @Override
    public List<ObjectNode> tools() {
        List<ObjectNode> out = new ArrayList<>();
        for (Map<String, Object> row : registry.listing()) {
            ObjectNode t = JSON.objectNode().put("name", (String) row.get("name"))
                    .put("docstring", Objects.toString(row.get("docstring"), ""))
                    .put("created_at", iso(row.get("created_at")))
                    .put("timestamp", iso(row.get("updated_at")))
                    .put("experimental", ((Number) row.get("experimental")).intValue() != 0);
            if (row.get("file_path") != null) t.put("file_path", (String) row.get("file_path"));
            else t.putNull("file_path");
            out.add(t);
        }
        return out;
    }

    @Override
    public Optional<ObjectNode> tool(String name) {
        return registry.listing().stream().filter(r -> r.get("name").equals(name)).findFirst().map(row -> {
            ObjectNode t = JSON.objectNode().put("name", name).put("code", Objects.toString(row.get("code"), ""))
                    .put("test_code", Objects.toString(row.get("test_code"), ""))
                    .put("docstring", Objects.toString(row.get("docstring"), ""))
                    .put("timestamp", iso(row.get("updated_at")))
                    .put("created_at", iso(row.get("created_at")));
            t.put("file_path", (String) row.get("file_path"));
            t.put("test_path", (String) row.get("test_path"));
            return t;
        });
    }

    @Override
    public List<ObjectNode> relationships(String toolName, double minConfidence) {
        return related().values().stream()
                .filter(r -> r.path("confidence_score").asDouble() >= minConfidence)
                .filter(r -> toolName == null || r.path("tool_a").asText().equals(toolName)
                        || r.path("tool_b").asText().equals(toolName))
                .sorted(Comparator.comparingInt((ObjectNode r) -> -r.path("frequency_count").asInt()))
                .toList();
    }

    @Override
    public List<ObjectNode> patterns(int minFrequency, int limit) {
        return registry.patterns().stream().filter(p -> p.frequency() >= minFrequency).limit(Math.max(0, limit))
                .map(p -> {
                    ObjectNode n = JSON.objectNode().put("pattern_name", p.name()).put("frequency", p.frequency())
                            .put("success_rate", p.successRate()).put("confidence", p.confidence());
                    p.sequence().forEach(n.putArray("tool_sequence")::add);
                    if (p.promotedTo() != null) n.put("promoted_to", p.promotedTo());
                    return n;
                }).toList();
    }

    @Override
    public List<ObjectNode> executions(String sessionId, int limit) {
        List<ObjectNode> out = new ArrayList<>();
        for (Map<String, Object> row : registry.executions(sessionId, limit)) {
            out.add(JSON.objectNode().put("tool_name", (String) row.get("tool_name"))
                    .put("run_id", Objects.toString(row.get("run_id"), null))
                    .put("execution_order", ((Number) row.getOrDefault("execution_order", 0)).intValue())
                    .put("success", ((Number) row.get("success")).intValue() != 0)
                    .put("execution_time_ms", ((Number) row.getOrDefault("execution_ms", 0)).longValue())
                    .put("user_prompt", Objects.toString(row.get("user_prompt"), ""))
                    .put("created_at", iso(row.get("created_at"))));
        }
        return out;
    }

    @Override
    public ObjectNode stats() {
        List<WorkflowPattern> patterns = registry.patterns();
        Map<String, ObjectNode> related = related();
        ObjectNode s = JSON.objectNode().put("total_patterns", patterns.size())
                .put("total_relationships", related.size());
        if (patterns.isEmpty()) {
            s.putNull("most_frequent_pattern");
        } else {
            WorkflowPattern top = patterns.get(0); // the registry orders them by frequency
            ObjectNode p = s.putObject("most_frequent_pattern").put("name", top.name()).put("frequency", top.frequency());
            top.sequence().forEach(p.putArray("tools")::add);
        }
        Map<String, Integer> connections = new LinkedHashMap<>();
        related.values().forEach(r -> {
            connections.merge(r.path("tool_a").asText(), 1, Integer::sum);
            connections.merge(r.path("tool_b").asText(), 1, Integer::sum);
        });
        var most = s.putArray("most_connected_tools");
        connections.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
                .forEach(e -> most.addObject().put("tool", e.getKey()).put("connections", e.getValue()));
        return s;
    }

    /** Tool pairs that follow each other in a mined pattern, keyed {@code a→b}. */
    private Map<String, ObjectNode> related() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (WorkflowPattern p : registry.patterns()) {
            for (int i = 0; i + 1 < p.sequence().size(); i++) {
                String a = p.sequence().get(i);
                String b = p.sequence().get(i + 1);
                ObjectNode r = out.computeIfAbsent(a + "\u2192" + b, k -> JSON.objectNode().put("tool_a", a).put("tool_b", b)
                        .put("relationship_type", "sequential").put("frequency_count", 0).put("success_rate", 0.0)
                        .put("confidence_score", 0.0));
                r.put("frequency_count", r.path("frequency_count").asInt() + p.frequency());
                r.put("success_rate", Math.max(r.path("success_rate").asDouble(), p.successRate()));
                r.put("confidence_score", Math.max(r.path("confidence_score").asDouble(), p.confidence()));
            }
        }
        return out;
    }

    private static String iso(Object millis) {
        return millis instanceof Number n ? Instant.ofEpochMilli(n.longValue()).toString() : null;
    }
}
