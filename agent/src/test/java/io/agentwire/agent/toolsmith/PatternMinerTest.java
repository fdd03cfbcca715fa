package io.agentwire.agent.toolsmith;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pattern miner over a real (SQLite) registry: whole workflows and their 2- and 3-step sub-sequences (§ B.9). */
class PatternMinerTest {
    private static final float[] PROMPT = Embedder.normalize(new float[] {1, 2, 3, 4});

    @TempDir
    Path dir;
    private ToolRegistry registry;
    private PatternMiner miner;

    @BeforeEach
    void open() {
        registry = ToolRegistry.open(dir);
        for (String name : List.of("fetch", "parse", "summarize", "translate", "store", "email")) {
            registry.register(new Tool(name, "does " + name, List.of(new Tool.Param("x", "str", "")), "str",
                    "def " + name + "(x):\n    return x\n", "", false, List.of(), 0, 0.5), PROMPT);
        }
        miner = new PatternMiner(registry, new ToolsmithConfig.Promotion(3, 0.8, 0.7, 4));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private List<PatternMiner.Learned> record(boolean success, String... tools) {
        return miner.record("s", "r", List.of(tools), success, "p", PROMPT);
    }

    @Test
    void subsequencesAreTheContiguousPairsAndTriplesShorterThanTheWorkflowEachOnce() {
        assertThat(PatternMiner.subsequences(List.of("a", "b"))).isEmpty();
        assertThat(PatternMiner.subsequences(List.of("a", "b", "c"))).containsExactly(List.of("a", "b"), List.of("b", "c"));
        assertThat(PatternMiner.subsequences(List.of("a", "b", "c", "d"))).containsExactly(
                List.of("a", "b"), List.of("b", "c"), List.of("c", "d"), List.of("a", "b", "c"), List.of("b", "c", "d"));
        assertThat(PatternMiner.subsequences(List.of("a", "b", "a", "b"))).containsExactly(
                List.of("a", "b"), List.of("b", "a"), List.of("a", "b", "a"), List.of("b", "a", "b"));
        assertThat(PatternMiner.subsequences(List.of("a", "b", "c", "d", "e")))
                .hasSize(4 + 3).doesNotContain(List.of("a", "c")); // contiguous only
    }

    @Test
    void aPairThatOnlyEverRecursInsideLongerWorkflowsIsFoundAndPromoted() {
        // three different workflows, none repeated: whole-sequence mining sees frequency 1 three times
        List<PatternMiner.Learned> first = record(true, "store", "fetch", "parse");
        assertThat(first.get(0).pattern().name()).isEqualTo("store_to_fetch_to_parse");
        assertThat(first.get(0).subsequence()).isFalse();
        assertThat(first.get(0).pattern().confidence()).isEqualTo(PatternMiner.NEW_CONFIDENCE);
        assertThat(first.subList(1, first.size())).extracting(l -> l.pattern().name())
                .containsExactly("store_to_fetch", "fetch_to_parse");
        assertThat(first.get(2).pattern().confidence()).isEqualTo(PatternMiner.NEW_SUB_CONFIDENCE);

        record(true, "fetch", "parse", "summarize", "translate");
        List<PatternMiner.Learned> third = record(true, "email", "fetch", "parse");

        for (String whole : List.of("store_to_fetch_to_parse", "fetch_to_parse_to_summarize_to_translate",
                "email_to_fetch_to_parse")) {
            assertThat(registry.pattern(whole).orElseThrow().frequency()).isEqualTo(1);
            assertThat(registry.pattern(whole).orElseThrow().promotedTo()).isNull();
        }
        WorkflowPattern pair = registry.pattern("fetch_to_parse").orElseThrow();
        assertThat(pair.frequency()).isEqualTo(3);
        assertThat(pair.successRate()).isEqualTo(1.0);
        assertThat(pair.confidence()).isEqualTo(0.75); // 1.0 · min(1, 3/4)
        assertThat(pair.promotedTo()).isEqualTo("fetch_to_parse_pipeline");
        assertThat(third).filteredOn(l -> l.promoted().isPresent()).singleElement()
                .satisfies(l -> assertThat(l.subsequence()).isTrue());
        Tool composite = registry.get("fetch_to_parse_pipeline").orElseThrow();
        assertThat(composite.components()).containsExactly("fetch", "parse");
        // the triple inside the 4-step workflow was mined once, the other pairs once or twice
        assertThat(registry.pattern("fetch_to_parse_to_summarize").orElseThrow().frequency()).isEqualTo(1);
        assertThat(registry.pattern("parse_to_summarize").orElseThrow().frequency()).isEqualTo(1);
        assertThat(registry.pattern("summarize_to_translate").orElseThrow().frequency()).isEqualTo(1);
    }

    @Test
    void aWholeWorkflowAndTheSameSequenceInsideLongerOnesAddUpAndFailuresLowerTheRate() {
        record(true, "fetch", "parse");
        record(false, "fetch", "parse", "summarize");
        WorkflowPattern pair = registry.pattern("fetch_to_parse").orElseThrow();
        assertThat(pair.frequency()).isEqualTo(2);
        assertThat(pair.successRate()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9)); // 0.3·0 + 0.7·1
        assertThat(pair.confidence()).isCloseTo(0.35, org.assertj.core.data.Offset.offset(1e-9)); // 0.7 · 2/4
        record(true, "translate", "fetch", "parse");
        pair = registry.pattern("fetch_to_parse").orElseThrow();
        assertThat(pair.frequency()).isEqualTo(3);
        assertThat(pair.successRate()).isCloseTo(0.79, org.assertj.core.data.Offset.offset(1e-9)); // below 0.8
        assertThat(pair.promotedTo()).isNull();
        assertThat(registry.get("fetch_to_parse_pipeline")).isEqualTo(Optional.empty());
    }

    @Test
    void aRepeatedPairCountsOncePerWorkflow() {
        record(true, "fetch", "parse", "fetch", "parse");
        assertThat(registry.pattern("fetch_to_parse").orElseThrow().frequency()).isEqualTo(1);
        assertThat(registry.pattern("parse_to_fetch").orElseThrow().frequency()).isEqualTo(1);
        assertThat(registry.pattern("fetch_to_parse_to_fetch").orElseThrow().frequency()).isEqualTo(1);
    }
}
