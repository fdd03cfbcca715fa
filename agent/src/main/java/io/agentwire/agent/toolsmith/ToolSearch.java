package io.agentwire.agent.toolsmith;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds tools by meaning (001-real-system.md § B.4): the prompt's embedding against every tool's, cosine
 * similarity at least the threshold, then re-ranked by combined = 0.7·similarity + 0.2·success rate (last 50
 * executions, 0.5 before any) + 0.1·min(usage / 10, 1); the best 5. The index is an in-memory copy of the registry,
 * rebuilt when the registry changes; prompts' embeddings and results are cached (LRU). Thread-safe.
 */
public final class ToolSearch {
    private static final int CACHE = 512;
    private static final int TOP = 5;

    /** A tool found, its similarity to the prompt and its re-ranked score. */
    public record Match(Tool tool, double similarity, double score) { }

    private final ToolRegistry registry;
    private final Embedder embedder;
    private final Map<String, float[]> embeddings = lru();
    private final Map<String, List<Match>> results = lru();
    private long indexVersion = -1;
    private List<ToolRegistry.Entry> index = List.of();

    public ToolSearch(ToolRegistry registry, Embedder embedder) {
        this.registry = registry;
        this.embedder = embedder;
    }

    public Embedder embedder() {
        return embedder;
    }

    /** The prompt's embedding (cached). */
    public float[] embed(String text) {
        synchronized (embeddings) {
            float[] cached = embeddings.get(text);
            if (cached != null) return cached;
        }
        float[] v = embedder.embed(text);
        synchronized (embeddings) {
            embeddings.put(text, v);
        }
        return v;
    }

    /** The plain tools (not composite) matching {@code prompt}, best first; empty if none reaches the threshold. */
    public List<Match> search(String prompt, double threshold) {
        return search(prompt, threshold, false);
    }

    /** The composite tools matching {@code prompt}, best first. */
    public List<Match> searchComposite(String prompt, double threshold) {
        return search(prompt, threshold, true);
    }

    private List<Match> search(String prompt, double threshold, boolean composite) {
        List<ToolRegistry.Entry> entries = currentIndex();
        long version = indexVersion;
        String key = version + "|" + composite + "|" + threshold + "|" + prompt;
        synchronized (results) {
            List<Match> cached = results.get(key);
            if (cached != null) return cached;
        }
        float[] q = embed(prompt);
        List<Match> found = new ArrayList<>();
        for (ToolRegistry.Entry e : entries) {
            if (e.tool().composite() != composite) continue;
            double sim = Embedder.cosine(q, e.embedding());
            if (sim < threshold) continue;
            Tool t = e.tool();
            double score = 0.7 * sim + 0.2 * t.successRate() + 0.1 * Math.min(t.usageCount() / 10.0, 1.0);
            found.add(new Match(t, Math.max(0, Math.min(1, sim)), score));
        }
        found.sort(Comparator.comparingDouble(Match::score).reversed());
        List<Match> top = List.copyOf(found.subList(0, Math.min(TOP, found.size())));
        synchronized (results) {
            results.put(key, top);
        }
        return top;
    }

    private synchronized List<ToolRegistry.Entry> currentIndex() {
        long v = registry.version();
        if (v != indexVersion) {
            index = registry.entries();
            indexVersion = v;
        }
        return index;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE;
            }
        };
    }
}
