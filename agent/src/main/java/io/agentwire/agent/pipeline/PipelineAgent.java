package io.agentwire.agent.pipeline;

import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.model.ModelCalls;
import java.util.Objects;

/**
 * The {@code pipeline} agent: Plan → Solve → Aggregate with a real model (an OpenAI-compatible chat completions
 * API) and the tools of the configured MCP servers.
 *
 * <pre>
 * plan.start → [plan.coercion_error → (one retry)] → plan.completed {tasks}
 *   → [agent.user_confirm … user.response]                   (config confirm-plan; metadata confirm:false skips)
 *   → per task, all at once: solver.start → (agent.partial_answer | agent.tool_call → agent.tool_result)*
 *                            → solver.completed {task_id, result}
 *   → aggregate.start → agent.partial_answer* → aggregate.completed
 *   → agent.final_answer {text} → pipeline.completed {status:"completed", tasks}
 * </pre>
 *
 * The planner is asked for JSON; an answer that can not be read as a plan is reported as {@code plan.coercion_error}
 * and asked again once, then the run fails ({@code PLAN_UNREADABLE}). Each solver is a bounded loop: it calls the
 * model with the tools, runs the tool calls it asks for, and stops at an answer without tool calls or after
 * {@link PipelineConfig#maxIterations()} model calls. A tool's failure is an {@code agent.tool_result} with
 * {@code is_error: true} that the model reads, never a failure of the run. A model that fails for good (after the
 * retries) fails its solver, which cancels the other solvers and fails the run. See docs/agents.md.
 */
public final class PipelineAgent implements Agent {
    /** The pipeline agent's name. */
    public static final String NAME = "pipeline";

    private final ModelCalls model;
    private final McpToolbox tools;
    private final PipelineConfig config;

    public PipelineAgent(ModelCalls model, McpToolbox tools, PipelineConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) throws Exception {
        new PipelineRun(request, ctx, model, tools, config).play();
    }
}
