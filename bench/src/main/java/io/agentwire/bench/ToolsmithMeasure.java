package io.agentwire.bench;

import io.agentwire.agent.toolsmith.Embedder;
import io.agentwire.agent.toolsmith.MiniLmEmbedder;
import io.agentwire.agent.toolsmith.Sandbox;
import io.agentwire.agent.toolsmith.SandboxLimits;
import io.agentwire.agent.toolsmith.Tool;
import io.agentwire.agent.toolsmith.ToolRegistry;
import io.agentwire.agent.toolsmith.ToolSearch;
import io.agentwire.agent.toolsmith.ToolsmithConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures (does not assert) the toolsmith's costs: tool search latency over 1 000 registered tools (the real
 * embedding model; uncached prompts, cached prompts, and the scoring pass alone), and the overhead of running a
 * trivial tool in the bubblewrap sandbox against a plain subprocess and the unsandboxed mode. Run:
 * {@code ./mvnw -q -pl bench -am compile exec:java -Dexec.mainClass=io.agentwire.bench.ToolsmithMeasure
 * -Dexec.classpathScope=compile} (figures in docs/toolsmith.md).
 */
public final class ToolsmithMeasure {
    private static final String[] VERBS = {"convert", "count", "sum", "sort", "parse", "format", "reverse", "filter",
            "average", "validate", "extract", "merge", "split", "normalize", "encode", "decode", "compress", "round",
            "rank", "deduplicate"};
    private static final String[] THINGS = {"temperatures", "distances in kilometers", "words in a text", "CSV rows",
            "JSON objects", "dates", "prices with tax", "email addresses", "URLs", "phone numbers", "matrices",
            "a list of integers", "hexadecimal strings", "timestamps", "file sizes", "currency amounts", "IP addresses",
            "roman numerals", "sentences", "percentages", "vectors", "time zones", "grades", "colors in RGB", "bytes",
            "durations", "polynomials", "fractions", "angles in degrees", "coordinates", "stock quotes", "recipes",
            "invoices", "log lines", "ZIP codes", "ISBNs", "passwords", "HTML tags", "Markdown headings", "weights in pounds",
            "speeds", "names", "addresses", "temperatures in Kelvin", "binary numbers", "chess moves", "DNA sequences",
            "playing cards", "calendar weeks", "survey answers"};

    private ToolsmithMeasure() { }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("toolsmith-measure");
        Embedder embedder = MiniLmEmbedder.shared();
        try (ToolRegistry registry = ToolRegistry.open(dir)) {
            long t0 = System.nanoTime();
            int n = 0;
            for (String verb : VERBS) {
                for (String thing : THINGS) {
                    String name = (verb + "_" + thing).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
                    Tool tool = new Tool(name.length() > 60 ? name.substring(0, 60) : name,
                            capitalize(verb) + " " + thing + ".", List.of(new Tool.Param("value", "str", "")), "str",
                            "def " + name + "(value):\n    return value\n", "", false, List.of(), 0, 0.5);
                    registry.register(tool, embedder.embed(tool.searchText()));
                    n++;
                }
            }
            System.out.printf(Locale.ROOT, "registered %d tools in %.1f s (embedding each docstring)%n", n,
                    (System.nanoTime() - t0) / 1e9);
            ToolSearch search = new ToolSearch(registry, embedder);
            search.search("warm up", 0.4);
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                prompts.add("Please " + VERBS[i % VERBS.length] + " these " + THINGS[(i * 7) % THINGS.length] + " for me, case " + i);
            }
            long[] cold = new long[prompts.size()];
            for (int i = 0; i < prompts.size(); i++) {
                long s = System.nanoTime();
                search.search(prompts.get(i), 0.4);
                cold[i] = System.nanoTime() - s;
            }
            long[] cached = new long[prompts.size()];
            for (int i = 0; i < prompts.size(); i++) {
                long s = System.nanoTime();
                search.search(prompts.get(i), 0.4);
                cached[i] = System.nanoTime() - s;
            }
            long[] scoring = new long[prompts.size()];
            for (int i = 0; i < prompts.size(); i++) {
                long s = System.nanoTime();
                search.search(prompts.get(i), 0.4 + (i + 1) * 1e-9); // same embedding (cached), new result key
                scoring[i] = System.nanoTime() - s;
            }
            report("search, new prompt (embed + score 1000 + re-rank)", cold);
            report("search, prompt seen before (result cache)", cached);
            report("search, embedding cached (score 1000 + re-rank)", scoring);
        }
        overhead();
        Sandbox.delete(dir);
    }

    private static void overhead() throws Exception {
        int runs = 30;
        String python = "/usr/bin/python3";
        long[] plain = new long[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            Process p = new ProcessBuilder(python, "-c", "print(1)").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            plain[i] = System.nanoTime() - s;
        }
        report("trivial tool, plain subprocess", plain);
        for (ToolsmithConfig.SandboxMode mode : ToolsmithConfig.SandboxMode.values()) {
            try (Sandbox sandbox = Sandbox.create(mode, SandboxLimits.defaults())) {
                if (!sandbox.available()) {
                    System.out.println(mode + ": " + sandbox.describe());
                    continue;
                }
                long[] times = new long[runs];
                for (int i = 0; i < runs; i++) {
                    Path scratch = sandbox.newScratch();
                    long s = System.nanoTime();
                    Sandbox.Result r = sandbox.run(scratch, List.of(python, "-c", "print(1)"), null);
                    times[i] = System.nanoTime() - s;
                    Sandbox.delete(scratch);
                    if (!r.ok()) throw new IllegalStateException(mode + " failed: " + r.output());
                }
                report("trivial tool, sandbox " + mode.name().toLowerCase(Locale.ROOT), times);
            }
        }
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-55s n=%d p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n", what, s.length,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6, s[Math.min(s.length - 1, (int) (s.length * 0.99))] / 1e6,
                s[s.length - 1] / 1e6);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
