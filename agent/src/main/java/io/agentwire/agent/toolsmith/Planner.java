package io.agentwire.agent.toolsmith;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.model.ChatRequest;
import io.agentwire.agent.model.ModelCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a strategy (001-real-system.md § B.3): a request to build a tool → {@code force_synthesis}; a composite
 * tool similar enough → {@code composite_tool}; a learned workflow pattern similar enough →
 * {@code workflow_pattern}; otherwise the model decides between {@code single_tool} and a multi-tool workflow
 * ({@code multi_tool_sequential}, {@code multi_tool_composition}); an answer that can not be read falls back to
 * {@code single_tool}.
 */
final class Planner {
    static final String SINGLE = "single_tool";
    static final String SEQUENTIAL = "multi_tool_sequential";
    static final String COMPOSITION = "multi_tool_composition";
    static final String PATTERN = "workflow_pattern";
    static final String COMPOSITE = "composite_tool";
    static final String FORCE = "force_synthesis";

    private static final List<String> BUILD = List.of("create a function", "create a tool", "build a tool",
            "write a function", "i need a tool", "make a tool", "build a function", "write a tool");

    /** The plan: a strategy, why, and what it needs. */
    record Plan(String strategy, String reasoning, List<String> subTasks, ToolSearch.Match composite,
                WorkflowPattern pattern, double similarity) { }

    private final ModelCalls model;
    private final ToolSearch search;
    private final ToolRegistry registry;
    private final ToolsmithConfig config;

    Planner(ModelCalls model, ToolSearch search, ToolRegistry registry, ToolsmithConfig config) {
        this.model = model;
        this.search = search;
        this.registry = registry;
        this.config = config;
    }

    Plan plan(String prompt, AgentContext ctx) throws Exception {
        String lower = prompt.toLowerCase(Locale.ROOT);
        for (String phrase : BUILD) {
            if (lower.contains(phrase)) return new Plan(FORCE, "The request asks to " + phrase, List.of(), null, null, 0);
        }
        List<ToolSearch.Match> composites = search.searchComposite(prompt, 0.5);
        if (!composites.isEmpty() && composites.get(0).similarity() > config.compositeThreshold()) {
            ToolSearch.Match m = composites.get(0);
            return new Plan(COMPOSITE, String.format(Locale.ROOT, "Found composite tool %s with %.2f similarity",
                    m.tool().name(), m.similarity()), m.tool().components(), m, null, m.similarity());
        }
        float[] q = search.embed(prompt);
        WorkflowPattern best = null;
        double bestSim = 0;
        for (WorkflowPattern p : registry.patterns()) {
            if (p.embedding() == null || p.promotedTo() != null) continue;
            double sim = Embedder.cosine(q, p.embedding());
            if (sim >= 0.6 && sim > bestSim) {
                best = p;
                bestSim = sim;
            }
        }
        if (best != null && bestSim > config.compositeThreshold()) {
            return new Plan(PATTERN, String.format(Locale.ROOT, "Found matching workflow pattern with %.2f confidence",
                    best.confidence()), best.sequence(), null, best, bestSim);
        }
        return ask(prompt, ctx);
    }

    private Plan ask(String prompt, AgentContext ctx) throws Exception {
        String answer = model.complete(ctx, "plan", new ChatRequest(null).system(Prompts.planner()).user(prompt),
                piece -> { }).content();
        try {
            JsonNode plan = Replies.object(answer);
            String strategy = plan.path("strategy").asText(SINGLE);
            List<String> tasks = new ArrayList<>();
            for (JsonNode t : plan.path("sub_tasks")) {
                String task = t.isTextual() ? t.asText() : t.path("task").asText(t.path("description").asText(""));
                if (!task.isBlank()) tasks.add(task.strip());
            }
            String reasoning = plan.path("reasoning").asText("");
            if ((SEQUENTIAL.equals(strategy) || COMPOSITION.equals(strategy)) && tasks.size() >= 2) {
                return new Plan(strategy, reasoning, List.copyOf(tasks.subList(0, Math.min(8, tasks.size()))), null, null, 0);
            }
            if (FORCE.equals(strategy)) return new Plan(FORCE, reasoning, List.of(), null, null, 0);
            return new Plan(SINGLE, reasoning, List.of(), null, null, 0);
        } catch (IllegalArgumentException e) {
            return new Plan(SINGLE, "The plan could not be read (" + e.getMessage() + "); using a single tool",
                    List.of(), null, null, 0);
        }
    }
}
