package io.agentwire.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Reads a process's resident memory and CPU time from /proc, and its heap through the run script's heap command. */
final class Probe {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private Probe() { }

    /** VmRSS of {@code pid} in bytes, or -1. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU time of {@code pid} in nanoseconds, or -1. */
    static long cpuNanos(long pid) {
        return cpuAndKernelNanos(pid)[0];
    }

    /**
     * User + system CPU time of {@code pid} and its system time alone (the kernel working for it: its system calls,
     * and the network stack's work done in their course, such as a loopback send's delivery to the receiving socket),
     * in nanoseconds, from one reading of its stat; -1 each if it can not be read.
     */
    static long[] cpuAndKernelNanos(long pid) {
        try {
            long[] t = ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
            return new long[] {(t[0] + t[1]) * TICK_NANOS, t[1] * TICK_NANOS};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** User + system CPU time in a /proc stat line (of a process or a thread), in nanoseconds. */
    private static long cpuNanosOf(String stat) {
        long[] t = ticksOf(stat);
        return (t[0] + t[1]) * TICK_NANOS;
    }

    /** User and system CPU time in a /proc stat line, in clock ticks (fields 14 and 15). */
    private static long[] ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /**
     * User + system CPU time of the JIT compiler threads of {@code pid} (a JVM's {@code C1 CompilerThread…} and {@code
     * C2 CompilerThread…}, /proc/PID/task/TID/comm), in nanoseconds; -1 if it has none (not a JVM: Node's compiler
     * shares its worker threads with the GC and can not be told apart). A compiler thread that ends between two
     * samples takes its time with it (the JVM starts and stops some as its queue grows and shrinks), so this is a
     * lower bound.
     */
    static long jitCpuNanos(long pid) {
        long total = 0;
        boolean any = false;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                String stat;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) continue;
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) { // the thread ended meanwhile
                    continue;
                }
                total += cpuNanosOf(stat);
                any = true;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return any ? total : -1;
    }

    /** Heap in use after a full GC, as printed (in bytes, last number of its output) by {@code command}; -1 if none. */
    static long heap(String command) {
        if (command == null || command.isBlank()) return -1;
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            String[] words = out.split("\\s+");
            return Long.parseLong(words[words.length - 1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
