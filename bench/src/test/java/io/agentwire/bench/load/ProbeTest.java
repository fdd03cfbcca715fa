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
    }
}
