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
 * and the ratios of AgentWire's Socket.IO server to each peer.
 *
 * <pre>java -cp benchmarks.jar io.agentwire.bench.load.Report results.tsv [title] &gt; results.md</pre>
 */
public final class Report {
    static final List<String> SERVERS = List.of("agentwire", "envelope", "socketio", "netty-socketio", "ws");
    static final List<String> PEERS = List.of("socketio", "netty-socketio", "ws");

    private Report() { }

    public static void main(String[] args) throws IOException {
        System.out.print(render(Files.readAllLines(Path.of(args[0])), args.length > 1 ? args[1] : "Bench run"));
    }

    static String render(List<String> lines, String title) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        Map<String, Map<String, Map<String, String>>> byScenario = new LinkedHashMap<>(); // scenario → key → server → v
        for (String line : lines) {
            String[] f = line.split("\t", 4);
            if (f.length < 4) continue;
            if (f[0].equals("meta")) {
                md.append("- **").append(f[2]).append("**: ").append(f[3]).append('\n');
                continue;
            }
            byScenario.computeIfAbsent(f[1], s -> new LinkedHashMap<>())
                    .computeIfAbsent(f[2], k -> new LinkedHashMap<>()).put(f[0], f[3]);
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
                for (String s : servers) md.append(' ').append(pretty(values.getOrDefault(s, "n/a"))).append(" |");
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
