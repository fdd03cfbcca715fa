package io.agentwire.agent.toolsmith;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Learns from workflows (001-real-system.md § B.9): each multi-tool run's tool sequence is recorded for its
 * session; the pattern of that sequence gets frequency + 1, an exponentially weighted success rate (α = 0.3) and a
 * confidence = min(0.95, success · min(1, frequency / confidenceFrequency)) (0.5 for a new pattern); its embedding is
 * the running mean of the prompts that ran it. The contiguous 2- and 3-step sub-sequences of a longer workflow are
 * mined the same way (a new one starts at confidence 0.3, as the document's {@code sub_a-b} patterns do), so a pair
 * or triple that keeps recurring inside longer workflows becomes a pattern of its own. Unlike the document, which
 * keeps {@code sub_a-b} apart from {@code a_to_b}, one sequence is one pattern here: the runs of {@code a, b} alone
 * and inside {@code x, a, b, c} are evidence for the same tool chain. Each distinct sub-sequence counts once per
 * workflow. A pattern that reaches the promotion thresholds becomes a composite tool (registered, searchable) that
 * runs its tools in order. Patterns are read, updated and written under the registry's exclusive section, so
 * nodes sharing a registry in cluster mode lose no update.
 */
final class PatternMiner {
    private static final double ALPHA = 0.3;
    /** A new pattern's confidence: whole workflow 0.5, sub-sequence 0.3 (§ B.9). */
    static final double NEW_CONFIDENCE = 0.5;
    static final double NEW_SUB_CONFIDENCE = 0.3;

    /** A pattern after recording, whether it was mined as a sub-sequence, and the composite tool if this promoted it. */
    record Learned(WorkflowPattern pattern, boolean subsequence, Optional<Tool> promoted) { }

    private final ToolRegistry registry;
    private final ToolsmithConfig.Promotion promotion;

    PatternMiner(ToolRegistry registry, ToolsmithConfig.Promotion promotion) {
        this.registry = registry;
        this.promotion = promotion;
    }

    /**
     * Records a workflow and mines it: the whole sequence first, then its sub-sequences ({@link #subsequences}).
     * Returns every pattern it touched, the whole sequence's first.
     */
    List<Learned> record(String sessionId, String runId, List<String> sequence, boolean success, String prompt,
                         float[] promptEmbedding) {
        registry.recordWorkflow(sessionId, runId, sequence, success, prompt);
        return registry.exclusive(() -> { // one miner at a time on every node sharing the registry
            List<Learned> out = new ArrayList<>();
            out.add(learn(sequence, false, success, promptEmbedding));
            for (List<String> sub : subsequences(sequence)) out.add(learn(sub, true, success, promptEmbedding));
            return out;
        });
    }

    /** The distinct contiguous 2- and 3-step sub-sequences of {@code sequence}, shorter than it, in order of appearance. */
    static List<List<String>> subsequences(List<String> sequence) {
        Set<List<String>> out = new LinkedHashSet<>();
        for (int n = 2; n <= 3 && n < sequence.size(); n++) {
            for (int i = 0; i + n <= sequence.size(); i++) out.add(List.copyOf(sequence.subList(i, i + n)));
        }
        return List.copyOf(out);
    }

    /** {@code old} (null for a new pattern) after one more run of {@code sequence}. */
    WorkflowPattern next(WorkflowPattern old, List<String> sequence, boolean subsequence, boolean success,
                         float[] promptEmbedding) {
        if (old == null) {
            return new WorkflowPattern(WorkflowPattern.nameOf(sequence), sequence, 1, success ? 1.0 : 0.0,
                    subsequence ? NEW_SUB_CONFIDENCE : NEW_CONFIDENCE, promptEmbedding.clone(), null);
        }
        int freq = old.frequency() + 1;
        double rate = ALPHA * (success ? 1 : 0) + (1 - ALPHA) * old.successRate();
        double confidence = Math.min(0.95, rate * Math.min(1.0, freq / (double) promotion.confidenceFrequency()));
        return new WorkflowPattern(old.name(), old.sequence(), freq, rate, confidence, mean(old, promptEmbedding),
                old.promotedTo());
    }

    /** Whether {@code p} is due for promotion (§ B.9: frequency, success and confidence thresholds, length ≥ 2). */
    boolean promotable(WorkflowPattern p) {
        return p.promotedTo() == null && p.sequence().size() >= 2 && p.frequency() >= promotion.minFrequency()
                && p.successRate() >= promotion.minSuccessRate() && p.confidence() >= promotion.minConfidence();
    }

    private Learned learn(List<String> sequence, boolean subsequence, boolean success, float[] promptEmbedding) {
        WorkflowPattern now = next(registry.pattern(WorkflowPattern.nameOf(sequence)).orElse(null), sequence,
                subsequence, success, promptEmbedding);
        Optional<Tool> promoted = Optional.empty();
        if (promotable(now)) {
            Tool composite = composite(now);
            registry.register(composite, now.embedding());
            now = new WorkflowPattern(now.name(), now.sequence(), now.frequency(), now.successRate(), now.confidence(),
                    now.embedding(), composite.name());
            promoted = Optional.of(composite);
        }
        registry.savePattern(now);
        return new Learned(now, subsequence, promoted);
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
