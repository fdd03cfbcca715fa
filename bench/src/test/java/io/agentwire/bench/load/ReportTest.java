package io.agentwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report of a run's TSV: the issue-21 summary and its verdicts, the generator marks, and --compare with old runs. */
class ReportTest {
    /** A run of the current generator: every figure of the summary, two generator loops on two CPUs. */
    private static final List<String> NEW = lines(
            "meta\t-\tmachine\t2 cpus",
            "agentwire\tidle\tconnections\t19000", "agentwire\tidle\trss_per_conn_kib\t3.5",
            "agentwire\tidle\trss_marginal_per_conn_kib\t2.25", "agentwire\tidle\theap_per_conn_kib\t2.5",
            "agentwire\tidle\theap_marginal_per_conn_kib\t1.5",
            "envelope\tidle\trss_per_conn_kib\t7.0", "ws\tidle\trss_per_conn_kib\t5.6",
            "agentwire\tconnect\tgenerator_loops\t2", "agentwire\tconnect\tgenerator_cpus\t2",
            "agentwire\tconnect\tmeasured_connects_per_server_cpu_s\t9000",
            "agentwire\tconnect\tmeasured_server_jit_share\t0.31",
            "agentwire\tconnect\tmeasured_generator_cpu_cores\t1.2",
            "socketio\tconnect\tgenerator_loops\t2", "socketio\tconnect\tgenerator_cpus\t2",
            "socketio\tconnect\tmeasured_connects_per_server_cpu_s\t3000",
            "socketio\tconnect\tmeasured_generator_cpu_cores\t1.9",
            "ws\tconnect\tmeasured_connects_per_server_cpu_s\t10000",
            "ws\tconnect\tmeasured_generator_cpu_cores\t0.5",
            "agentwire\techo\tmeasured_round_trips_per_server_cpu_s\t80000",
            "agentwire\techo\tmeasured_server_kernel_share\t0.8",
            "netty-socketio\techo\tmeasured_round_trips_per_server_cpu_s\t40000",
            "agentwire\tfanout\tsaturation_deliveries_per_server_cpu_s\t450000",
            "agentwire\tfanout\tsaturation_generator_busiest_loop_cpu_cores\t0.95",
            "socketio\tfanout\tsaturation_deliveries_per_server_cpu_s\t100000",
            "ws\tfanout\tsaturation_deliveries_per_server_cpu_s\t150000");

    /** A run of the generator before --loops and the marginal figures (one loop on one CPU, no summary keys). */
    private static final List<String> OLD = lines(
            "meta\t-\tmachine\t2 cpus",
            "agentwire\tidle\trss_per_conn_kib\t14.2", "agentwire\tidle\theap_per_conn_kib\t10.4",
            "socketio\tidle\trss_per_conn_kib\t13.9", "socketio\tidle\theap_per_conn_kib\t10.5",
            "agentwire\tconnect\tmeasured_connects_per_server_cpu_s\t4500",
            "agentwire\tconnect\tmeasured_generator_cpu_cores\t0.95",
            "socketio\tconnect\tmeasured_connects_per_server_cpu_s\t4450",
            "socketio\tconnect\tmeasured_generator_cpu_cores\t0.85");

    @Test
    void theSummaryComesFirstWithEveryTargetMarkedMetOrNotMet() {
        String md = Report.render(NEW, "run");
        assertThat(md.indexOf("## Issue 21 summary")).isLessThan(md.indexOf("## Conditions"))
                .isLessThan(md.indexOf("## idle"));
        assertThat(md).contains("| Socket.IO idle connection: heap ≤ 2 KiB | 2.5 KiB (marginal 1.5) | not met |")
                .contains("| Socket.IO idle connection: RSS ≤ 4 KiB | 3.5 KiB (marginal 2.3) | met |")
                .contains("| connects per server CPU-second ≥ 2× socket.io | 3.00× ⚠ | met |")
                .contains("| connects per server CPU-second ≥ 0.6× ws | 0.90× | met |")
                .contains("| echo round trips per server CPU-second ≥ 2× netty-socketio | 2.00× (at most 2.50× with"
                        + " AgentWire's kernel time per round trip, 0.80 of its CPU) | met |")
                .contains("| fan-out deliveries per server CPU-second at saturation ≥ 4× every peer | 3.00× ⚠ (lowest: ws);"
                        + " not in the run: netty-socketio | not met |")
                .contains("| fan-out deliveries per server CPU-second at saturation ≥ 400 000 | 450,000 ⚠ | met |")
                .contains("| envelope idle connection with its session: RSS ≤ 8 KiB | 7.0 KiB | met |");
        assertThat(md).contains("| — marginal: ΔRSS / ΔN from half to all held, KiB | 2.250 | n/a | n/a | n/a |");
        assertThat(md).contains("| — the share of it in the JIT compiler's threads (JVM servers) | 0.310 | n/a | n/a | n/a |")
                .contains("| — the share of the echo windows' server CPU in the JIT compiler's threads | n/a | n/a | n/a | n/a |")
                .contains("| — the share of it in the kernel (system time: the sockets' reads and writes) | 0.800 | n/a | n/a"
                        + " | n/a |");
    }

    @Test
    void aGeneratorIsMarkedSaturatedRelativeToTheCoresItsLoopsCouldUse() {
        String md = Report.render(NEW, "run");
        // two loops on two CPUs: 1.2 cores is not saturated, 1.9 is; one loop (no loop count): 0.9 of one core
        assertThat(md).contains("| measured_generator_cpu_cores | 1.200 | 1.900 ⚠ | 0.500 |");
        assertThat(md).contains("| saturation_generator_busiest_loop_cpu_cores | 0.950 ⚠ |");
        assertThat(Report.render(OLD, "old")).contains("| measured_generator_cpu_cores | 0.950 ⚠ | 0.850 |");
    }

    @Test
    void comparingWithAnOldRunShowsWhatItLacksAsNotAvailable() {
        String md = Report.compare(OLD, NEW);
        assertThat(md).contains("| RSS per idle connection, KiB (all held) | 14.2 / 3.500 | n/a / 7.000 | 13.9 / n/a | n/a / n/a | n/a / 5.600 |")
                .contains("| — marginal: ΔRSS / ΔN from half to all held, KiB | n/a / 2.250 |")
                .contains("| Socket.IO idle connection: heap ≤ 2 KiB | 10.4 KiB: not met | 2.5 KiB (marginal 1.5): not met |")
                .contains("| envelope idle connection with its session: RSS ≤ 8 KiB | n/a | 7.0 KiB: met |")
                .contains("| connect | measured_connects_per_server_cpu_s | socketio | 1.01 | 3.00 | +197 % |")
                .contains("| idle | rss_per_conn_kib | socketio | 1.02 | n/a | n/a |")
                .contains("| connect | measured_connects_per_server_cpu_s | ws | n/a | 0.90 | n/a |");
    }

    private static List<String> lines(String... lines) {
        return new ArrayList<>(List.of(lines));
    }
}
