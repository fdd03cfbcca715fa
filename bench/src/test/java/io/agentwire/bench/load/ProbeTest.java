package io.agentwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the generator reads of a server process from /proc. */
class ProbeTest {
    @Test
    void aJvmHasJitCompilerThreadsWithinItsCpuTimeAndAnotherProcessHasNone() throws Exception {
        long self = ProcessHandle.current().pid();
        long jit = Probe.jitCpuNanos(self);
        assertThat(jit).isNotNegative().isLessThanOrEqualTo(Probe.cpuNanos(self));
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(Probe.jitCpuNanos(sleeper.pid())).isEqualTo(-1);
            assertThat(Probe.cpuNanos(sleeper.pid())).isNotNegative();
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(Probe.jitCpuNanos(Long.MAX_VALUE)).isEqualTo(-1); // no such process
        assertThat(Probe.cpuAndKernelNanos(Long.MAX_VALUE)).containsExactly(-1, -1);
    }

    @Test
    void theKernelShareIsTheSystemTimeOfTheProcess() throws Exception {
        // dd with one-byte blocks spends its time in read/write system calls; awk's loop in user space
        assertThat(kernelShareOf("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=1000000000")).isGreaterThan(0.4);
        assertThat(kernelShareOf("awk", "BEGIN { for (i = 0; i < 1e12; i++) s += i }")).isLessThan(0.2);
    }

    /** The system time ÷ the CPU time of a command after it ran for a second (it is then stopped). */
    private static double kernelShareOf(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            Thread.sleep(1000);
            long[] times = Probe.cpuAndKernelNanos(p.pid());
            long cpu = times[0];
            long kernel = times[1];
            assertThat(p.isAlive()).as("still running when read").isTrue();
            assertThat(cpu).as("CPU time of " + command[0]).isPositive();
            assertThat(kernel).isBetween(0L, cpu);
            return kernel / (double) cpu;
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
