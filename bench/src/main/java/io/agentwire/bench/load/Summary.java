package io.agentwire.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The "Issue 21 summary" at the top of a run's report: the figures for every server of the run, and its
 * targets (ratios in the same run) each marked met or not met. A figure the run lacks (a scenario not run, an older
 * run without it) is n/a, and so is a target that needs it. Work per server CPU-second is the measure of rates
 * (a shared machine moves it less than a rate); a step whose generator was saturated is marked ⚠.
 */
final class Summary {
    private Summary() { }

    /** scenario → figure → server → value, as {@link Report#figures} reads a run. */
    private record Run(Map<String, Map<String, Map<String, String>>> figures) {
        Double value(String scenario, String key, String server) {
            return Report.number(raw(scenario, key, server));
        }

        String raw(String scenario, String key, String server) {
            return figures.getOrDefault(scenario, Map.of()).getOrDefault(key, Map.of()).get(server);
        }

        /** Whether the step {@code step} of {@code scenario} was generator-bound for {@code server}. */
        boolean bound(String scenario, String step, String server) {
            if (step == null) return false;
            Map<String, Map<String, String>> s = figures.getOrDefault(scenario, Map.of());
            return Report.generatorBound(s, step + "_generator_cpu_cores", server)
                    || Report.generatorBound(s, step + "_generator_busiest_loop_cpu_cores", server);
        }

        boolean has(String server) {
            return figures.values().stream().anyMatch(s -> s.values().stream().anyMatch(m -> m.containsKey(server)));
        }
    }

    /** A row: what it shows, where it is in the run, and the step whose generator load qualifies it. */
    private record Figure(String label, String scenario, String key, String step) { }

    private static final List<Figure> FIGURES = List.of(
            new Figure("idle connections held", "idle", "connections", null),
            new Figure("RSS per idle connection, KiB (all held)", "idle", "rss_per_conn_kib", null),
            new Figure("— marginal: ΔRSS / ΔN from half to all held, KiB", "idle", "rss_marginal_per_conn_kib", null),
            new Figure("heap per idle connection after GC, KiB", "idle", "heap_per_conn_kib", null),
            new Figure("— marginal: Δheap / ΔN from half to all held, KiB", "idle", "heap_marginal_per_conn_kib", null),
            new Figure("connects per server CPU-second", "connect", "measured_connects_per_server_cpu_s", "measured"),
            new Figure("— the share of it in the JIT compiler's threads (JVM servers)", "connect",
                    "measured_server_jit_share", null),
            new Figure("echo round trips per server CPU-second", "echo", "measured_round_trips_per_server_cpu_s",
                    "measured"),
            new Figure("— the share of the echo windows' server CPU in the JIT compiler's threads", "echo",
                    "measured_server_jit_share", null),
            new Figure("— the share of it in the kernel (system time: the sockets' reads and writes)", "echo",
                    "measured_server_kernel_share", null),
            new Figure("echo p99 at half load (paced at half its own saturated rate, between ping rounds), ms",
                    "echo", "half_latency_p99_ms", "half"),
            new Figure("— the paced step's offered round trips/s", "echo", "half_offered_round_trips_per_s", "half"),
            new Figure("fan-out deliveries per server CPU-second, saturation", "fanout",
                    "saturation_deliveries_per_server_cpu_s", "saturation"),
            new Figure("— the share of it in the kernel (system time)", "fanout", "saturation_server_kernel_share",
                    null));

    /** A target's measured figure: its value (compared with the bound) and how it reads. */
    private record Measured(double value, String text) { }

    private record Target(String label, double bound, boolean atMost, Function<Run, Measured> measure) {
        String verdict(Measured m) {
            if (m == null) return "n/a";
            return (atMost ? m.value() <= bound : m.value() >= bound) ? "met" : "not met";
        }
    }

    private static final List<Target> TARGETS = List.of(
            new Target("Socket.IO idle connection: heap ≤ 2 KiB", 2, true,
                    r -> kib(r, "agentwire", "heap_per_conn_kib", "heap_marginal_per_conn_kib")),
            new Target("Socket.IO idle connection: RSS ≤ 4 KiB", 4, true,
                    r -> kib(r, "agentwire", "rss_per_conn_kib", "rss_marginal_per_conn_kib")),
            new Target("connects per server CPU-second ≥ 2× socket.io", 2, false,
                    r -> ratio(r, "connect", "measured_connects_per_server_cpu_s", "measured", "socketio")),
            new Target("connects per server CPU-second ≥ 0.6× ws", 0.6, false,
                    r -> ratio(r, "connect", "measured_connects_per_server_cpu_s", "measured", "ws")),
            new Target("echo round trips per server CPU-second ≥ 2× netty-socketio", 2, false,
                    Summary::echoRatio),
            new Target("fan-out deliveries per server CPU-second at saturation ≥ 4× every peer", 4, false,
                    Summary::lowestFanOutRatio),
            new Target("fan-out deliveries per server CPU-second at saturation ≥ 400 000", 400_000, false, r -> {
                Double v = r.value("fanout", "saturation_deliveries_per_server_cpu_s", "agentwire");
                return v == null ? null : new Measured(v, Report.pretty(String.format(Locale.ROOT, "%.1f", v))
                        + (r.bound("fanout", "saturation", "agentwire") ? " ⚠" : ""));
            }),
            new Target("envelope idle connection with its session: RSS ≤ 8 KiB", 8, true,
                    r -> kib(r, "envelope", "rss_per_conn_kib", "rss_marginal_per_conn_kib")));

    /** The summary of one run. */
    static String render(Map<String, Map<String, Map<String, String>>> figures) {
        Run run = new Run(figures);
        List<String> servers = Report.SERVERS.stream().filter(run::has).toList();
        StringBuilder md = new StringBuilder("## Issue 21 summary\n\n");
        header(md, "figure", servers);
        for (Figure f : FIGURES) {
            md.append("| ").append(f.label()).append(" |");
            for (String s : servers) md.append(' ').append(cell(run, f, s)).append(" |");
            md.append('\n');
        }
        md.append("\n| target (same run) | measured | |\n|---|---:|---|\n");
        for (Target t : TARGETS) {
            Measured m = t.measure().apply(run);
            md.append("| ").append(t.label()).append(" | ").append(m == null ? "n/a" : m.text()).append(" | ")
                    .append(t.verdict(m)).append(" |\n");
        }
        md.append("\nRSS and heap targets are read on the per-connection figure of all clients held (the issue's); the "
                + "marginal figure is in brackets. ⚠: that step's generator was saturated.\n");
        return md.toString();
    }

    /** The summaries of two runs side by side: {@code run 1 / run 2} in every cell. */
    static String compare(Map<String, Map<String, Map<String, String>>> first,
                          Map<String, Map<String, Map<String, String>>> second) {
        Run a = new Run(first);
        Run b = new Run(second);
        List<String> servers = Report.SERVERS.stream().filter(s -> a.has(s) || b.has(s)).toList();
        StringBuilder md = new StringBuilder("## Issue 21 summary: run 1 / run 2\n\n");
        header(md, "figure", servers);
        for (Figure f : FIGURES) {
            md.append("| ").append(f.label()).append(" |");
            for (String s : servers) md.append(' ').append(cell(a, f, s)).append(" / ").append(cell(b, f, s)).append(" |");
            md.append('\n');
        }
        md.append("\n| target (same run) | run 1 | run 2 |\n|---|---:|---:|\n");
        for (Target t : TARGETS) {
            Measured m1 = t.measure().apply(a);
            Measured m2 = t.measure().apply(b);
            md.append("| ").append(t.label()).append(" | ").append(m1 == null ? "n/a" : m1.text() + ": " + t.verdict(m1))
                    .append(" | ").append(m2 == null ? "n/a" : m2.text() + ": " + t.verdict(m2)).append(" |\n");
        }
        return md.toString();
    }

    private static void header(StringBuilder md, String first, List<String> servers) {
        md.append("| ").append(first).append(" |");
        servers.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---|").append("---:|".repeat(servers.size())).append('\n');
    }

    private static String cell(Run run, Figure f, String server) {
        String v = run.raw(f.scenario(), f.key(), server);
        if (v == null) return "n/a";
        return Report.pretty(v) + (run.bound(f.scenario(), f.step(), server) ? " ⚠" : "");
    }

    /** A memory figure in KiB, its marginal one in brackets. */
    private static Measured kib(Run r, String server, String key, String marginalKey) {
        Double v = r.value("idle", key, server);
        if (v == null) return null;
        Double m = r.value("idle", marginalKey, server);
        return new Measured(v, String.format(Locale.ROOT, "%.1f KiB", v)
                + (m == null ? "" : String.format(Locale.ROOT, " (marginal %.1f)", m)));
    }

    /** AgentWire ÷ {@code peer} of one figure. */
    private static Measured ratio(Run r, String scenario, String key, String step, String peer) {
        Double x = r.value(scenario, key, "agentwire");
        Double y = r.value(scenario, key, peer);
        if (x == null || y == null || y <= 0 || x < 0) return null;
        boolean bound = r.bound(scenario, step, "agentwire") || r.bound(scenario, step, peer);
        return new Measured(x / y, String.format(Locale.ROOT, "%.2f×", x / y) + (bound ? " ⚠" : ""));
    }

    /**
     * AgentWire ÷ netty-socketio of the echo, and the most it could be with AgentWire's kernel time per round trip as
     * it is (its code taking no CPU at all): the ratio ÷ AgentWire's kernel share. Both servers read and write each
     * message with one system call each, so under that ceiling no change to AgentWire's own code reaches the target.
     */
    private static Measured echoRatio(Run r) {
        Measured m = ratio(r, "echo", "measured_round_trips_per_server_cpu_s", "measured", "netty-socketio");
        Double kernel = r.value("echo", "measured_server_kernel_share", "agentwire");
        if (m == null || kernel == null || kernel <= 0) return m;
        return new Measured(m.value(), m.text() + String.format(Locale.ROOT, " (at most %.2f× with AgentWire's kernel"
                + " time per round trip, %.2f of its CPU)", m.value() / kernel, kernel));
    }

    /** The lowest AgentWire ÷ peer of the saturated fan-out over the peers in the run. */
    private static Measured lowestFanOutRatio(Run r) {
        Measured lowest = null;
        String which = null;
        List<String> missing = new ArrayList<>();
        for (String peer : Report.PEERS) {
            Measured m = ratio(r, "fanout", "saturation_deliveries_per_server_cpu_s", "saturation", peer);
            if (m == null) {
                missing.add(peer);
            } else if (lowest == null || m.value() < lowest.value()) {
                lowest = m;
                which = peer;
            }
        }
        if (lowest == null) return null;
        return new Measured(lowest.value(), lowest.text() + " (lowest: " + which + ")"
                + (missing.isEmpty() ? "" : "; not in the run: " + String.join(", ", missing)));
    }
}
