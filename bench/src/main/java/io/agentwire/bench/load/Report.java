package io.agentwire.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a run's {@code results.tsv} ({@code label scenario key value} lines, {@code meta} lines first) into the
 * markdown of {@code bench/results/}: the settings, then per scenario one row per figure, one column per server,
 * and the ratios of AgentWire's Socket.IO server to each peer, after the issue-21 summary ({@link Summary}). A
 * saturated generator ({@link #generatorBound}) is marked ⚠ (that step may measure the generator). With
 * {@code --compare}, the summaries and the headline ratios of two runs side by side.
 *
 * <pre>java -cp benchmarks.jar io.agentwire.bench.load.Report results.tsv [title] &gt; results.md
 * java -cp benchmarks.jar io.agentwire.bench.load.Report --compare first.tsv second.tsv</pre>
 */
public final class Report {
    static final List<String> SERVERS = List.of("agentwire", "envelope", "socketio", "netty-socketio", "ws");
    static final List<String> PEERS = List.of("socketio", "netty-socketio", "ws");

    private Report() { }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--compare")) {
            System.out.print(compare(Files.readAllLines(Path.of(args[1])), Files.readAllLines(Path.of(args[2]))));
        } else {
            System.out.print(render(Files.readAllLines(Path.of(args[0])), args.length > 1 ? args[1] : "Bench run"));
        }
    }

    /**
     * The issue-21 summary of two runs side by side, then the headline figures' AgentWire ÷ peer ratios of both with
     * the second's change. A figure one run lacks (an older run, a server not in it) is shown as n/a.
     */
    static String compare(List<String> first, List<String> second) {
        Map<String, Map<String, Map<String, String>>> a = figures(first);
        Map<String, Map<String, Map<String, String>>> b = figures(second);
        StringBuilder md = new StringBuilder(Summary.compare(a, b));
        md.append("\n| scenario | figure | peer | run 1 | run 2 | change |\n|---|---|---|---:|---:|---:|\n");
        Map<String, Set<String>> keys = new LinkedHashMap<>(); // scenario → figures, in the order of run 1, then run 2
        for (var run : List.of(a, b)) {
            run.forEach((scenario, byKey) -> keys.computeIfAbsent(scenario, x -> new LinkedHashSet<>()).addAll(byKey.keySet()));
        }
        for (var scenario : keys.entrySet()) {
            for (String figure : scenario.getValue()) {
                if (!HEADLINE.matcher(figure).find() || figure.startsWith("window_") || figure.contains("offered")) {
                    continue;
                }
                Map<String, String> one = a.getOrDefault(scenario.getKey(), Map.of()).getOrDefault(figure, Map.of());
                Map<String, String> two = b.getOrDefault(scenario.getKey(), Map.of()).getOrDefault(figure, Map.of());
                for (String peer : PEERS) {
                    String r1 = ratio(one.get("agentwire"), one.get(peer));
                    String r2 = ratio(two.get("agentwire"), two.get(peer));
                    if (r1.isEmpty() && r2.isEmpty()) continue;
                    String change = r1.isEmpty() || r2.isEmpty() || Double.parseDouble(r1) == 0 ? "n/a"
                            : String.format(Locale.ROOT, "%+.0f %%", (Double.parseDouble(r2) / Double.parseDouble(r1) - 1) * 100);
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", scenario.getKey(), figure,
                            peer, r1.isEmpty() ? "n/a" : r1, r2.isEmpty() ? "n/a" : r2, change));
                }
            }
        }
        return md.toString();
    }

    private static final java.util.regex.Pattern HEADLINE = java.util.regex.Pattern.compile(
            "(_per_s$|_per_server_cpu_s$|_per_conn_kib$|_p50_ms$|_p99_ms$|^seconds_until)");

    /** scenario → figure → server → value, in the order of the lines. */
    static Map<String, Map<String, Map<String, String>>> figures(List<String> lines) {
        Map<String, Map<String, Map<String, String>>> byScenario = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t", 4);
            if (f.length < 4 || f[0].equals("meta")) continue;
            byScenario.computeIfAbsent(f[1], s -> new LinkedHashMap<>())
                    .computeIfAbsent(f[2], k -> new LinkedHashMap<>()).put(f[0], f[3]);
        }
        return byScenario;
    }

    static String render(List<String> lines, String title) {
        Map<String, Map<String, Map<String, String>>> byScenario = figures(lines); // scenario → key → server → value
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n").append(Summary.render(byScenario));
        md.append("\n## Conditions\n\n");
        for (String line : lines) {
            String[] f = line.split("\t", 4);
            if (f.length == 4 && f[0].equals("meta")) md.append("- **").append(f[2]).append("**: ").append(f[3]).append('\n');
        }
        for (var scenario : byScenario.entrySet()) {
            List<String> servers = new ArrayList<>();
            for (String s : SERVERS) {
                if (scenario.getValue().values().stream().anyMatch(m -> m.containsKey(s))) servers.add(s);
            }
            List<String> ratios = PEERS.stream().filter(p -> servers.contains(p) && servers.contains("agentwire")).toList();
            md.append("\n## ").append(scenario.getKey()).append("\n\n| figure |");
            servers.forEach(s -> md.append(' ').append(s).append(" |"));
            ratios.forEach(p -> md.append(" agentwire ÷ ").append(p).append(" |"));
            md.append("\n|---|").append("---:|".repeat(servers.size() + ratios.size())).append('\n');
            for (var figure : scenario.getValue().entrySet()) {
                Map<String, String> values = figure.getValue();
                md.append("| ").append(figure.getKey()).append(" |");
                for (String s : servers) {
                    String v = values.getOrDefault(s, "n/a");
                    boolean bound = generatorBound(scenario.getValue(), figure.getKey(), s);
                    md.append(' ').append(pretty(v)).append(bound ? " ⚠" : "").append(" |");
                }
                for (String p : ratios) md.append(' ').append(ratio(values.get("agentwire"), values.get(p))).append(" |");
                md.append('\n');
            }
        }
        return md.toString();
    }

    /**
     * Whether figure {@code key} of {@code server} says its generator was saturated: the process used ≥ 0.9 of the
     * cores its loops could use (min(loops, CPUs); runs before {@code --loops}: one loop on one CPU), or its busiest
     * loop thread ≥ 0.9 of a core. That step may have measured the generator rather than the server.
     */
    static boolean generatorBound(Map<String, Map<String, String>> scenario, String key, String server) {
        Double v = number(scenario.getOrDefault(key, Map.of()).get(server));
        if (v == null) return false;
        if (key.endsWith("generator_busiest_loop_cpu_cores")) return v >= SATURATED;
        if (!key.endsWith("generator_cpu_cores")) return false;
        Double loops = number(scenario.getOrDefault("generator_loops", Map.of()).get(server));
        Double cpus = number(scenario.getOrDefault("generator_cpus", Map.of()).get(server));
        double usable = Math.min(loops == null ? 1 : loops, cpus == null ? 1 : cpus);
        return v >= SATURATED * usable;
    }

    /** The share of its cores above which a generator counts as saturated. */
    static final double SATURATED = 0.9;

    static String ratio(String a, String b) {
        Double x = number(a);
        Double y = number(b);
        if (x == null || y == null || y == 0 || x < 0 || y < 0) return "";
        return String.format(Locale.ROOT, "%.2f", x / y);
    }

    static String pretty(String v) {
        Double d = number(v);
        if (d == null || !v.contains(".")) return v;
        double a = Math.abs(d);
        return String.format(Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 10 ? "%.1f" : "%.3f", d);
    }

    static Double number(String v) {
        if (v == null) return null;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
