package io.agentwire.agent.toolsmith;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Learns from workflows (001-real-system.md § B.9): each multi-tool run's tool sequence is recorded for its
 * session; the pattern of that sequence gets frequency + 1, an exponentially weighted success rate (α = 0.3) and a
 * confidence = min(0.95, success · min(1, frequency / confidenceFrequency)) (0.5 for a new pattern); its embedding is
 * the running mean of the prompts that ran it. A pattern that reaches the promotion thresholds becomes a composite
 * tool (registered, searchable) that runs its tools in order.
 */
final class PatternMiner {
    private static final double ALPHA = 0.3;

    /** The pattern after recording, and the composite tool if this recording promoted it. */
    record Learned(WorkflowPattern pattern, Optional<Tool> promoted) { }

    private final ToolRegistry registry;
    private final ToolsmithConfig.Promotion promotion;

    PatternMiner(ToolRegistry registry, ToolsmithConfig.Promotion promotion) {
        this.registry = registry;
        this.promotion = promotion;
    }

    synchronized Learned record(String sessionId, String runId, List<String> sequence, boolean success, String prompt,
                                float[] promptEmbedding) {
        registry.recordWorkflow(sessionId, runId, sequence, success, prompt);
        String name = WorkflowPattern.nameOf(sequence);
        WorkflowPattern old = registry.pattern(name).orElse(null);
        WorkflowPattern now;
        if (old == null) {
            now = new WorkflowPattern(name, sequence, 1, success ? 1.0 : 0.0, 0.5, promptEmbedding.clone(), null);
        } else {
            int freq = old.frequency() + 1;
            double rate = ALPHA * (success ? 1 : 0) + (1 - ALPHA) * old.successRate();
            double confidence = Math.min(0.95, rate * Math.min(1.0, freq / (double) promotion.confidenceFrequency()));
            now = new WorkflowPattern(name, sequence, freq, rate, confidence, mean(old, promptEmbedding), old.promotedTo());
        }
        Optional<Tool> promoted = Optional.empty();
        if (now.promotedTo() == null && sequence.size() >= 2 && now.frequency() >= promotion.minFrequency()
                && now.successRate() >= promotion.minSuccessRate() && now.confidence() >= promotion.minConfidence()) {
            Tool composite = composite(now);
            registry.register(composite, now.embedding());
            now = new WorkflowPattern(now.name(), now.sequence(), now.frequency(), now.successRate(), now.confidence(),
                    now.embedding(), composite.name());
            promoted = Optional.of(composite);
        }
        registry.savePattern(now);
        return new Learned(now, promoted);
    }

    private Tool composite(WorkflowPattern pattern) {
        String name = pattern.name().length() <= 54 ? pattern.name() : pattern.name().substring(0, 45)
                + "_" + Integer.toHexString(pattern.name().hashCode());
        name = name + "_pipeline";
        List<String> docs = new ArrayList<>();
        Tool first = null;
        for (String t : pattern.sequence()) {
            Optional<Tool> tool = registry.get(t);
            if (first == null) first = tool.orElse(null);
            docs.add(t + ": " + tool.map(Tool::docstring).orElse(""));
        }
        return new Tool(name, "Composite tool (a promoted workflow): runs " + String.join(", then ", pattern.sequence())
                + ".\n" + String.join("\n", docs), first == null ? List.of() : first.params(), "Any", "", "", false,
                pattern.sequence(), 0, 0.5);
    }

    private static float[] mean(WorkflowPattern old, float[] add) {
        float[] base = old.embedding();
        if (base == null) return add.clone();
        float[] out = new float[base.length];
        int n = old.frequency();
        for (int i = 0; i < out.length; i++) out[i] = (base[i] * n + add[i]) / (n + 1);
        return Embedder.normalize(out);
    }
}
