package io.agentwire.agent.toolsmith;

import io.agentwire.agent.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link ToolsmithAgent} ({@code agentwire.toolsmith}; docs/toolsmith.md). Immutable; validated on
 * construction. The thresholds' defaults are those spec 001's system uses (001-real-system.md § B).
 *
 * @param dataDir where the registry ({@code toolsmith.db}), the tool files ({@code tools/}) and the sandboxes'
 *     scratch directories ({@code sandbox/}) live
 * @param sandbox how generated code runs: {@code BWRAP} (bubblewrap; refused when it is missing) or {@code NONE}
 *     (a plain child process: only for trusted set-ups)
 * @param python the Python interpreter (with pytest) that runs tools and their tests
 * @param limits what one sandboxed process may use
 * @param searchThreshold the least cosine similarity for a tool to be found (§ B: 0.4)
 * @param compositeThreshold the least similarity for planning to take a composite tool or a pattern (§ B: 0.7)
 * @param promotion when a workflow pattern becomes a composite tool
 * @param cacheTtl how long an execution's result is reused for the same tool and arguments (§ B: 3600 s)
 * @param displayChars results longer than this are cut in events (stored whole)
 * @param stepTimeout the most one model call or sandboxed step may take in all (then {@code error.timeout})
 */
public record ToolsmithConfig(Path dataDir, SandboxMode sandbox, String python, SandboxLimits limits,
                              double searchThreshold, double compositeThreshold, Promotion promotion,
                              Duration cacheTtl, int displayChars, Duration stepTimeout) {

    /** How generated code runs. */
    public enum SandboxMode { BWRAP, NONE }

    /**
     * @param minFrequency the least number of successful runs of the sequence (§ B: 3)
     * @param minSuccessRate the least exponentially weighted success rate (§ B: 0.8)
     * @param minConfidence the least confidence (§ B: 0.7)
     * @param confidenceFrequency the frequency at which confidence stops growing: confidence = min(0.95,
     *     success_rate · min(1, frequency / confidenceFrequency)); § B uses 10, with which its own thresholds can
     *     not be met before 7 runs, so the default is 4 (3 perfect runs give 0.75)
     */
    public record Promotion(int minFrequency, double minSuccessRate, double minConfidence, int confidenceFrequency) {
        public Promotion {
            if (minFrequency < 1) throw new IllegalArgumentException("promotion.min-frequency must be >= 1");
            if (confidenceFrequency < 1) throw new IllegalArgumentException("promotion.confidence-frequency must be >= 1");
            unit("promotion.min-success-rate", minSuccessRate);
            unit("promotion.min-confidence", minConfidence);
        }

        public static Promotion defaults() {
            return new Promotion(3, 0.8, 0.7, 4);
        }
    }

    public ToolsmithConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(promotion, "promotion");
        if (python == null || python.isBlank()) throw new IllegalArgumentException("python must be set");
        unit("searchThreshold", searchThreshold);
        unit("compositeThreshold", compositeThreshold);
        Durations.positive("cacheTtl", cacheTtl);
        Durations.positive("stepTimeout", stepTimeout);
        if (displayChars < 20) throw new IllegalArgumentException("displayChars must be >= 20, was " + displayChars);
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must be within 0..1, was " + v);
    }

    /** bwrap, /usr/bin/python3, the default limits, § B's thresholds, 1 h cache, 200 characters, 10 min per step. */
    public static ToolsmithConfig defaults(Path dataDir) {
        return new ToolsmithConfig(dataDir, SandboxMode.BWRAP, "/usr/bin/python3", SandboxLimits.defaults(), 0.4, 0.7,
                Promotion.defaults(), Duration.ofHours(1), 200, Duration.ofMinutes(10));
    }

    public ToolsmithConfig withDataDir(Path dir) {
        return new ToolsmithConfig(dir, sandbox, python, limits, searchThreshold, compositeThreshold, promotion, cacheTtl,
                displayChars, stepTimeout);
    }

    public ToolsmithConfig withSandbox(SandboxMode mode) {
        return new ToolsmithConfig(dataDir, mode, python, limits, searchThreshold, compositeThreshold, promotion, cacheTtl,
                displayChars, stepTimeout);
    }

    public ToolsmithConfig withLimits(SandboxLimits l) {
        return new ToolsmithConfig(dataDir, sandbox, python, l, searchThreshold, compositeThreshold, promotion, cacheTtl,
                displayChars, stepTimeout);
    }

    public ToolsmithConfig withPromotion(Promotion p) {
        return new ToolsmithConfig(dataDir, sandbox, python, limits, searchThreshold, compositeThreshold, p, cacheTtl,
                displayChars, stepTimeout);
    }

    public ToolsmithConfig withStepTimeout(Duration d) {
        return new ToolsmithConfig(dataDir, sandbox, python, limits, searchThreshold, compositeThreshold, promotion, cacheTtl,
                displayChars, d);
    }

    public ToolsmithConfig withSearchThreshold(double t) {
        return new ToolsmithConfig(dataDir, sandbox, python, limits, t, compositeThreshold, promotion, cacheTtl,
                displayChars, stepTimeout);
    }
}
