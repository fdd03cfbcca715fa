package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;

/**
 * A test stand-in for the toolsmith agent (on its own branch, docs/toolsmith.md there): it plays spec 001's
 * "Complete Event Flow" for a query that needs a new tool, publishing each step as the toolsmith's event contract
 * says — the run event {@code toolsmith.<event_type>} with the document's data as its content — and ends with
 * {@code agent.final_answer {text, success, tool_name, synthesized, tool_result}}.
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
        ctx.emit("agent.final_answer", NODES.objectNode().put("text", "The average sales are 42.5.").put("success", true)
                .put("tool_name", "calculate_average_sales").put("synthesized", true).put("tool_result", "42.5"), null);
    }

    private static void step(AgentContext ctx, String type, ObjectNode data) {
        ctx.emit("toolsmith." + type, data, null);
    }
}
