package io.agentwire.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of an agent's tool registry (the {@code toolsmith} agent's synthesized tools, their executions
 * and the workflow patterns mined from them), for dialects that show it — the {@code progress} dialect's
 * {@code tool_count} event, {@code /api/tools} and {@code /api/analytics/*} (spec 001). The agent that owns the
 * registry provides it to the server as a service ({@code DialectContext.service(ToolCatalog.class)}); without one,
 * dialects answer as if the registry were empty.
 *
 * <p>Methods may block (a database read): callers run them through {@link Blocking}. Every returned object is a
 * fresh JSON object the caller may keep; field names are spec 001's (snake case). Session ids are the ids the
 * agent saw in {@code RunRequest.sessionId()}.
 */
public interface ToolCatalog {

    /** Tools in the registry (the {@code tool_count} event). */
    int count();

    /**
     * Every tool, newest first: {@code {name, docstring (never null), created_at (ISO 8601), file_path}} and any
     * further fields.
     */
    List<ObjectNode> tools();

    /**
     * One tool by name: {@code {name, code, test_code, docstring, timestamp, file_path, test_path}}; empty when
     * there is none.
     */
    Optional<ObjectNode> tool(String name);

    /**
     * Relationships between tools ({@code tool_a, tool_b, relationship_type, frequency_count, success_rate,
     * confidence_score, …}) with a confidence of at least {@code minConfidence}, of {@code toolName} only when it is
     * not null.
     */
    List<ObjectNode> relationships(String toolName, double minConfidence);

    /** Workflow patterns seen at least {@code minFrequency} times, most frequent first, at most {@code limit}. */
    List<ObjectNode> patterns(int minFrequency, int limit);

    /** The tool executions of a session (oldest first), at most {@code limit}. */
    List<ObjectNode> executions(String sessionId, int limit);

    /**
     * {@code {total_patterns, total_relationships, most_frequent_pattern: {name, frequency, tools} | null,
     * most_connected_tools: [{tool, connections}] (top 5)}}.
     */
    ObjectNode stats();
}
