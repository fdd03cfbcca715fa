package io.agentwire.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run's {@code results.tsv} ({@code label scenario key value} lines, {@code meta} lines first) into the
 * markdown of {@code bench/results/}: the settings, then per scenario one row per figure, one column per server,
 * and the ratios of AgentWire's Socket.IO server to each peer. A generator that used ≥ 0.9 of its core is marked ⚠
 * (that step may measure the generator). With {@code --compare}, the headline ratios of two runs side by side.
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

    /** The headline figures' AgentWire ÷ peer ratios of two runs side by side, with the second's change. */
    static String compare(List<String> first, List<String> second) {
        Map<String, Map<String, Map<String, String>>> a = figures(first);
        Map<String, Map<String, Map<String, String>>> b = figures(second);
        StringBuilder md = new StringBuilder("| scenario | figure | peer | run 1 | run 2 | change |\n|---|---|---|---:|---:|---:|\n");
        for (var scenario : a.entrySet()) {
            for (var figure : scenario.getValue().entrySet()) {
                if (!HEADLINE.matcher(figure.getKey()).find() || figure.getKey().startsWith("window_")
                        || figure.getKey().contains("offered")) continue;
                Map<String, String> other = b.getOrDefault(scenario.getKey(), Map.of()).getOrDefault(figure.getKey(), Map.of());
                for (String peer : PEERS) {
                    String r1 = ratio(figure.getValue().get("agentwire"), figure.getValue().get(peer));
                    String r2 = ratio(other.get("agentwire"), other.get(peer));
                    if (r1.isEmpty() || r2.isEmpty()) continue;
                    double change = Double.parseDouble(r2) / Double.parseDouble(r1) - 1;
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %+.0f %% |%n", scenario.getKey(),
                            figure.getKey(), peer, r1, r2, change * 100));
                }
            }
        }
        return md.toString();
    }

    private static final java.util.regex.Pattern HEADLINE = java.util.regex.Pattern.compile(
            "(_per_s$|_per_server_cpu_s$|_per_conn_kib$|_p50_ms$|_p99_ms$|^seconds_until)");

    private static Map<String, Map<String, Map<String, String>>> figures(List<String> lines) {
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
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        for (String line : lines) {
            String[] f = line.split("\t", 4);
            if (f.length == 4 && f[0].equals("meta")) md.append("- **").append(f[2]).append("**: ").append(f[3]).append('\n');
        }
        Map<String, Map<String, Map<String, String>>> byScenario = figures(lines); // scenario → key → server → value
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
                    boolean generatorBound = figure.getKey().endsWith("generator_cpu_cores") && number(v) != null
                            && number(v) >= 0.9;
                    md.append(' ').append(pretty(v)).append(generatorBound ? " ⚠" : "").append(" |");
                }
                for (String p : ratios) md.append(' ').append(ratio(values.get("agentwire"), values.get(p))).append(" |");
                md.append('\n');
            }
        }
        return md.toString();
    }

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

    private static Double number(String v) {
        if (v == null) return null;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
