package io.agentwire.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The load generator: one process, {@code --loops} event loop threads (default 1) sharing the clients of one
 * scenario against one server.
 *
 * <pre>java -cp benchmarks.jar io.agentwire.bench.load.LoadGen --scenario idle|fanout|echo|storm|connect
 *     --proto ws|sio|env --port N [--host 127.0.0.1] [--loops N] [--label NAME] [--out results.tsv]
 *     [--server-pid PID] [--heap-cmd "sh command printing heap bytes"] [scenario options: see each scenario]</pre>
 *
 * Every figure goes to stdout and, with {@code --out}, as a line {@code label scenario key value} to that file (the
 * run script's report reads it). The process ends by itself: every wait has a deadline.
 */
public final class LoadGen {
    /** Where {@link #cpu()} puts each figure: the server process, this process, the server's JIT threads … */
    static final int SERVER = 0;
    static final int GENERATOR = 1;
    static final int SERVER_JIT = 2;
    static final int SERVER_KERNEL = 3;
    static final int LOOPS = 4;
    /** A warm-up round whose server spent less than this share of its CPU compiling ends the warm-up. */
    static final double JIT_SETTLED = 0.05;

    final Map<String, String> options;
    final Proto proto;
    final String label;
    final String scenario;
    final long serverPid;
    final Loader loader;
    private final Path out;
    /** The loops' thread ids, for their CPU time. */
    private final long[] loopThreads;
    /** The generator's clock origin: {@code sent} in payloads is {@code System.nanoTime() - origin}. */
    final long origin = System.nanoTime();

    LoadGen(Map<String, String> options) {
        this.options = options;
        this.proto = Proto.of(option("proto", "sio"));
        this.scenario = option("scenario", "echo");
        this.label = option("label", proto.name().toLowerCase(Locale.ROOT));
        this.serverPid = Long.parseLong(option("server-pid", "-1"));
        this.out = options.containsKey("out") ? Path.of(options.get("out")) : null;
        this.loader = new Loader(option("host", "127.0.0.1"), Integer.parseInt(option("port", "3000")), proto,
                intOption("loops", 1));
        this.loopThreads = loader.threadIds();
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        System.exit(run(options));
    }

    /** Runs one scenario; 0 when it ran to its end, 1 when it failed (the error is a result line too). */
    static int run(Map<String, String> options) {
        LoadGen gen = new LoadGen(options);
        int code = 0;
        try {
            int loops = gen.loader.loops();
            int cpus = Runtime.getRuntime().availableProcessors(); // the CPUs this process may run on (taskset)
            gen.result("generator", gen.loader.kind() + ", " + loops + " event loop thread" + (loops == 1 ? "" : "s")
                    + " on " + cpus + " CPU" + (cpus == 1 ? "" : "s"));
            gen.result("generator_loops", loops);
            gen.result("generator_cpus", cpus);
            switch (gen.scenario) {
                case "idle" -> new Idle(gen).run();
                case "fanout" -> new FanOut(gen).run();
                case "echo" -> new EchoLoad(gen).run();
                case "storm" -> new Storm(gen).run();
                case "connect" -> new ConnectRate(gen).run();
                default -> throw new IllegalArgumentException("unknown scenario " + gen.scenario);
            }
        } catch (Exception e) {
            e.printStackTrace();
            gen.result("error", String.valueOf(e));
            code = 1;
        } finally {
            gen.loader.close();
        }
        return code;
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    int intOption(String name, int fallback) {
        return Integer.parseInt(option(name, String.valueOf(fallback)));
    }

    long now() {
        return System.nanoTime() - origin;
    }

    static Histogram histogram() {
        return new Histogram(60_000_000_000L, 3); // up to 60 s, 3 significant digits (nanoseconds)
    }

    void result(String key, Object value) {
        String v = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
        String line = label + "\t" + scenario + "\t" + key + "\t" + v;
        System.out.println("RESULT " + line);
        if (out == null) return;
        try {
            Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** p50/p99/p99.9/max of {@code h} (nanoseconds) as milliseconds, under {@code prefix}. */
    void latency(String prefix, Histogram h) {
        result(prefix + "_count", h.getTotalCount());
        result(prefix + "_p50_ms", h.getValueAtPercentile(50) / 1e6);
        result(prefix + "_p99_ms", h.getValueAtPercentile(99) / 1e6);
        result(prefix + "_p999_ms", h.getValueAtPercentile(99.9) / 1e6);
        result(prefix + "_max_ms", h.getMaxValue() / 1e6);
    }

    /**
     * CPU used by the server and by this generator between two {@link #cpu()} samples, in cores; with {@code work}
     * (deliveries, round trips, connections) > 0, also the work per CPU-second of the server: on a shared machine
     * the server gets less than its core at times, and this figure moves less with that than the rate does. A JVM
     * server's share of it spent in its JIT compiler threads is given apart ({@code _server_jit_share}): a step that
     * begins before the JIT has compiled the server's paths pays for the compilation too (the compiler shares the
     * server's one core), which a server that runs for days pays once. The generator's figures: the whole process
     * (its loops, GC and JIT threads), and its busiest loop thread.
     */
    void cpuShare(String prefix, long[] before, long[] after, long wallNanos, long work, String unit) {
        long server = after[SERVER] - before[SERVER];
        if (before[SERVER] >= 0 && after[SERVER] >= 0) {
            result(prefix + "_server_cpu_cores", server / (double) wallNanos);
            if (work > 0 && server > 0) result(prefix + "_" + unit + "_per_server_cpu_s", work / (server / 1e9));
            double jit = jitShare(before, after);
            if (!Double.isNaN(jit)) result(prefix + "_server_jit_share", jit);
            double kernel = serverShare(SERVER_KERNEL, before, after);
            if (!Double.isNaN(kernel)) result(prefix + "_server_kernel_share", Math.min(1, kernel));
        }
        result(prefix + "_generator_cpu_cores", (after[GENERATOR] - before[GENERATOR]) / (double) wallNanos);
        long busiest = -1;
        for (int i = LOOPS; i < after.length; i++) {
            if (before[i] >= 0 && after[i] >= 0) busiest = Math.max(busiest, after[i] - before[i]);
        }
        if (busiest >= 0) result(prefix + "_generator_busiest_loop_cpu_cores", busiest / (double) wallNanos);
    }

    /**
     * The share of the server's CPU between two {@link #cpu()} samples spent in its JIT compiler threads; NaN where it
     * can not be read (not a JVM) or the server used no CPU.
     */
    static double jitShare(long[] before, long[] after) {
        return serverShare(SERVER_JIT, before, after);
    }

    /** The share of the server's CPU between two {@link #cpu()} samples that figure {@code part} took; NaN: unknown. */
    private static double serverShare(int part, long[] before, long[] after) {
        long server = after[SERVER] - before[SERVER];
        if (before[SERVER] < 0 || after[SERVER] < 0 || before[part] < 0 || after[part] < 0 || server <= 0) {
            return Double.NaN;
        }
        return Math.max(0, after[part] - before[part]) / (double) server;
    }

    /**
     * CPU nanoseconds so far: the server process, this process, the server's JIT compiler threads, the server's
     * system time, then each loop thread (-1: unknown).
     */
    long[] cpu() {
        long[] t = new long[LOOPS + loopThreads.length];
        long[] server = serverPid > 0 ? Probe.cpuAndKernelNanos(serverPid) : new long[] {-1, -1};
        t[SERVER] = server[0];
        t[GENERATOR] = Probe.cpuNanos(ProcessHandle.current().pid());
        t[SERVER_JIT] = serverPid > 0 ? Probe.jitCpuNanos(serverPid) : -1;
        t[SERVER_KERNEL] = server[1];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < loopThreads.length; i++) t[LOOPS + i] = threads.getThreadCpuTime(loopThreads[i]);
        return t;
    }

    static void sleepMillis(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
