package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;

/**
 * A test stand-in for the toolsmith agent (which is not on this branch): it plays spec 001's "Complete Event Flow"
 * for a query that needs a new tool, publishing each step the way the toolsmith's contract says — the document's
 * {@code event_type} in {@code metadata.event_type}, its data as the content — and ends with the answer and the
 * final metadata ({@code tool_name}, {@code synthesized}, {@code tool_result}).
 */
final class ScriptedToolsmith implements Agent {
    static final String NAME = "scripted-toolsmith";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) {
        step(ctx, "searching", NODES.objectNode().put("query", request.text()));
        step(ctx, "no_tool_found", NODES.objectNode().put("query", request.text()));
        step(ctx, "entering_synthesis_mode", NODES.objectNode());
        for (String s : new String[] {"specification", "tests", "implementation", "verification", "registration"}) {
            step(ctx, "synthesis_step", NODES.objectNode().put("step", s).put("status", "in_progress"));
            step(ctx, "synthesis_step", NODES.objectNode().put("step", s).put("status", "complete"));
        }
        step(ctx, "synthesis_successful", NODES.objectNode().put("tool_name", "calculate_average_sales")
                .put("experimental", false));
        step(ctx, "executing", NODES.objectNode().put("tool_name", "calculate_average_sales"));
        step(ctx, "execution_complete", NODES.objectNode().put("tool_name", "calculate_average_sales").put("result", "42.5"));
        step(ctx, "synthesizing_response", NODES.objectNode());
        step(ctx, "complete", NODES.objectNode().put("response", "The average sales are 42.5."));
    }

    private static void step(AgentContext ctx, String type, ObjectNode data) {
        ctx.emit("toolsmith." + type, data, NODES.objectNode().put("event_type", type));
    }
}
