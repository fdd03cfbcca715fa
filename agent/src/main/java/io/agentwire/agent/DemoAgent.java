package io.agentwire.agent;

import java.util.Objects;

/**
 * A <b>scripted demo</b> agent (name {@code demo}): it is not an AI and calls no model or tool. It plays a fixed,
 * realistic run for the user's text so that front ends and the protocol can be tried out:
 *
 * <pre>
 * plan.start → agent.thinking ×2 → plan.completed (3 tasks derived from the text)
 *   → agent.user_confirm (step confirm_plan_&lt;run_id&gt;, options approve/reject, default approve)
 *   → per task: solver.start → agent.thinking → agent.tool_call (demo_search) → agent.tool_result
 *               → agent.partial_answer → solver.completed
 *   → aggregate.start → agent.partial_answer ×2 → aggregate.completed
 *   → agent.final_answer (says it is the scripted demo) → pipeline.completed {status: completed, tasks: 3}
 * </pre>
 *
 * A rejected plan ends with {@code plan.cancelled} and {@code pipeline.completed {status: rejected}}; an
 * unanswered confirmation takes the default (approve). A {@code user.solve_tasks} run skips planning and
 * confirmation. A cancelled run reports {@code plan.cancelled} (while planning or confirming) or
 * {@code solver.cancelled} (while solving) before its {@code pipeline.completed {status: cancelled}}.
 * Client metadata {@code "confirm": false} skips the confirmation for a run. See {@link DemoAgentConfig}.
 */
public final class DemoAgent implements Agent {
    /** The demo agent's name. */
    public static final String NAME = "demo";

    private final DemoAgentConfig config;

    /** A demo agent with {@link DemoAgentConfig#defaults()}. */
    public DemoAgent() {
        this(DemoAgentConfig.defaults());
    }

    public DemoAgent(DemoAgentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) {
        new DemoRun(request, ctx, config).play();
    }
}
