package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;

/**
 * The toolsmith's events: spec 001's {@code agent_event} {@code event_type}s. Each is published as the run event
 * {@code toolsmith.<event_type>} whose {@code content} is the document's {@code data} (so a dialect maps it one to
 * one: {@code agent_event {event_type: <name after "toolsmith.">, data: content}}). docs/toolsmith.md lists every
 * event with its fields.
 */
public final class ToolsmithEvents {
    /** The namespace of the run events: {@code toolsmith.searching}, {@code toolsmith.tool_found} … */
    public static final String NAMESPACE = "toolsmith";

    // planning
    public static final String PLANNING_QUERY = "planning_query";
    public static final String PLAN_COMPLETE = "plan_complete";
    // discovery
    public static final String SEARCHING = "searching";
    public static final String TOOL_FOUND = "tool_found";
    public static final String TOOL_MISMATCH = "tool_mismatch";
    public static final String NO_TOOL_FOUND = "no_tool_found";
    public static final String CACHE_HIT = "cache_hit";
    // synthesis
    public static final String ENTERING_SYNTHESIS_MODE = "entering_synthesis_mode";
    public static final String SYNTHESIS_STEP = "synthesis_step";
    public static final String SYNTHESIS_SUCCESSFUL = "synthesis_successful";
    public static final String TOOL_EXPERIMENTAL_WARNING = "tool_experimental_warning";
    public static final String SYNTHESIS_FAILED = "synthesis_failed";
    // execution
    public static final String EXECUTING = "executing";
    public static final String EXECUTION_COMPLETE = "execution_complete";
    public static final String EXECUTION_FAILED = "execution_failed";
    public static final String REFLECTION_CREATED = "reflection_created";
    // response
    public static final String SYNTHESIZING_RESPONSE = "synthesizing_response";
    public static final String COMPLETE = "complete";
    // composite tools, patterns, workflows
    public static final String USING_COMPOSITE_TOOL = "using_composite_tool";
    public static final String USING_WORKFLOW_PATTERN = "using_workflow_pattern";
    public static final String PATTERN_EXECUTION_START = "pattern_execution_start";
    public static final String PATTERN_STEP = "pattern_step";
    public static final String PATTERN_STEP_COMPLETE = "pattern_step_complete";
    public static final String PATTERN_EXECUTION_COMPLETE = "pattern_execution_complete";
    public static final String MULTI_TOOL_WORKFLOW = "multi_tool_workflow";
    public static final String WORKFLOW_START = "workflow_start";
    public static final String WORKFLOW_STEP = "workflow_step";
    public static final String WORKFLOW_STEP_TOOL_FOUND = "workflow_step_tool_found";
    public static final String WORKFLOW_STEP_NEEDS_SYNTHESIS = "workflow_step_needs_synthesis";
    public static final String WORKFLOW_STEP_SYNTHESIZING = "workflow_step_synthesizing";
    public static final String WORKFLOW_STEP_EXECUTING = "workflow_step_executing";
    public static final String WORKFLOW_STEP_COMPLETE = "workflow_step_complete";
    public static final String WORKFLOW_STEP_FAILED = "workflow_step_failed";
    public static final String WORKFLOW_COMPLETE = "workflow_complete";
    // learning (AgentWire's own, not in spec 001)
    public static final String WORKFLOW_RECORDED = "workflow_recorded";
    public static final String PATTERN_PROMOTED = "pattern_promoted";

    /** The values of {@code synthesis_step.step}, in order. */
    public static final String STEP_SPECIFICATION = "specification";
    public static final String STEP_TESTS = "tests";
    public static final String STEP_IMPLEMENTATION = "implementation";
    public static final String STEP_VERIFICATION = "verification";
    public static final String STEP_VERIFICATION_RETRY = "verification_retry";
    public static final String STEP_REGISTRATION = "registration";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ToolsmithEvents() { }

    /** The run event's name for an {@code event_type}: {@code toolsmith.<eventType>}. */
    public static String eventName(String eventType) {
        return NAMESPACE + "." + eventType;
    }

    /** The {@code event_type} of a run event's name, or null if it is not a toolsmith event. */
    public static String eventType(String eventName) {
        return eventName != null && eventName.startsWith(NAMESPACE + ".") ? eventName.substring(NAMESPACE.length() + 1) : null;
    }

    /** A fresh {@code data} object. */
    static ObjectNode data() {
        return JSON.objectNode();
    }

    /** Publishes {@code toolsmith.<eventType>} with {@code data} as its content. */
    static void emit(AgentContext ctx, String eventType, ObjectNode data) {
        ctx.emit(eventName(eventType), data == null ? data() : data, null);
    }
}
