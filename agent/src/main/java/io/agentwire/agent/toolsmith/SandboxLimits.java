package io.agentwire.agent.toolsmith;

import io.agentwire.agent.Durations;
import java.time.Duration;

/**
 * What one sandboxed process may use. Immutable; validated on construction.
 *
 * @param wallTimeout how long it may run (§ B's sandbox: 30 s); then it is killed
 * @param cpuSeconds CPU time ({@code RLIMIT_CPU}); then the kernel kills it
 * @param memoryBytes address space ({@code RLIMIT_AS}); an allocation past it fails ({@code MemoryError})
 * @param maxProcesses processes and threads ({@code RLIMIT_NPROC}, enforced when the server runs as root and the
 *     sandbox switches to an unprivileged user; otherwise the PID namespace and the wall clock bound a fork bomb)
 * @param maxFileBytes the largest file it may write ({@code RLIMIT_FSIZE})
 * @param maxOutputBytes stdout and stderr together; past it the process is killed and the run told so
 */
public record SandboxLimits(Duration wallTimeout, int cpuSeconds, long memoryBytes, int maxProcesses, long maxFileBytes,
                            int maxOutputBytes) {
    public SandboxLimits {
        Durations.positive("wallTimeout", wallTimeout);
        if (cpuSeconds < 1) throw new IllegalArgumentException("cpuSeconds must be >= 1");
        if (memoryBytes < 32L << 20) throw new IllegalArgumentException("memoryBytes must be >= 32 MiB");
        if (maxProcesses < 1) throw new IllegalArgumentException("maxProcesses must be >= 1");
        if (maxFileBytes < 1024) throw new IllegalArgumentException("maxFileBytes must be >= 1 KiB");
        if (maxOutputBytes < 1024) throw new IllegalArgumentException("maxOutputBytes must be >= 1 KiB");
    }

    /** 30 s, 10 CPU seconds, 512 MiB, 64 processes, 16 MiB files, 1 MiB of output. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(Duration.ofSeconds(30), 10, 512L << 20, 64, 16L << 20, 1 << 20);
    }

    public SandboxLimits withWallTimeout(Duration d) {
        return new SandboxLimits(d, cpuSeconds, memoryBytes, maxProcesses, maxFileBytes, maxOutputBytes);
    }
}
