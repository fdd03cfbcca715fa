package io.agentwire.agent.toolsmith;

import java.util.List;

/**
 * A sequence of tools that succeeded together, mined from the recorded workflows (001-real-system.md § B.9).
 *
 * @param name {@code a_to_b[_to_c]}
 * @param sequence the tools, in order
 * @param frequency how many workflows ran this sequence
 * @param successRate exponentially weighted (α = 0.3) share of those that succeeded
 * @param confidence min(0.95, successRate · min(1, frequency / confidenceFrequency)); 0.5 for a new pattern
 * @param embedding the mean (normalized) embedding of the prompts that ran it, to match new prompts
 * @param promotedTo the composite tool it became, or null
 */
public record WorkflowPattern(String name, List<String> sequence, int frequency, double successRate, double confidence,
                              float[] embedding, String promotedTo) {
    public WorkflowPattern {
        sequence = List.copyOf(sequence);
    }

    public static String nameOf(List<String> sequence) {
        return String.join("_to_", sequence);
    }
}
