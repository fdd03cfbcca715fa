package io.agentwire.agent.toolsmith;

import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunCancelledException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs generated code in a child process that can not reach the network or the rest of the machine: bubblewrap
 * ({@code bwrap}) with every namespace unshared (no network interface but loopback, its own PIDs), the system's
 * {@code /usr} read-only, a private {@code /tmp} (16 MiB) and {@code /dev}, nothing of {@code /etc}, the home or
 * the data directory, and a private scratch directory as {@code /work}, the only place it can write. Inside,
 * {@code prlimit} caps CPU time, address space, file size and (when the server runs as root, which switches the
 * sandbox to user {@code nobody}) processes. Outside, the wall clock and the output size are watched: past either
 * the process tree is killed. A cancelled run kills it at once.
 *
 * <p>With {@link ToolsmithConfig.SandboxMode#NONE} the same command runs as a plain child process in the scratch
 * directory (with the prlimit caps when {@code prlimit} exists): no isolation, for trusted set-ups only. Without
 * bubblewrap, {@link ToolsmithConfig.SandboxMode#BWRAP} refuses to run anything ({@link #available()} is false).
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final int NOBODY = 65534;

    /**
     * What a sandboxed process did.
     *
     * @param exitCode its exit status (137 and the like when it was killed)
     * @param output stdout and stderr, interleaved, up to the output limit
     * @param timedOut killed at the wall-clock limit
     * @param outputExceeded killed for writing more than the output limit
     * @param elapsed how long it ran
     */
    public record Result(int exitCode, String output, boolean timedOut, boolean outputExceeded, Duration elapsed) {
        public boolean ok() {
            return exitCode == 0 && !timedOut && !outputExceeded;
        }

        /** Why it failed, in a sentence, or null if it did not. */
        public String problem(SandboxLimits limits) {
            if (timedOut) return "killed after the wall-clock limit of " + limits.wallTimeout().toMillis() + " ms";
            if (outputExceeded) return "killed for writing more than " + limits.maxOutputBytes() + " bytes of output";
            if (exitCode == 137 || exitCode == 152 || exitCode == -9) {
                return "killed (exit " + exitCode + ": CPU-time limit of " + limits.cpuSeconds() + " s or a signal)";
            }
            return exitCode == 0 ? null : "exit status " + exitCode;
        }
    }

    private final ToolsmithConfig.SandboxMode mode;
    private final SandboxLimits limits;
    private final String bwrap;
    private final String prlimit;
    private final String setpriv;
    private final Path root;

    private Sandbox(ToolsmithConfig.SandboxMode mode, SandboxLimits limits, String bwrap) {
        this.mode = mode;
        this.limits = limits;
        this.bwrap = bwrap;
        this.prlimit = which("prlimit");
        this.setpriv = isRoot() ? which("setpriv") : null;
        try {
            root = Files.createTempDirectory("agentwire-sandbox-");
            // traversable by the sandbox's user, listable by nobody else
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the sandbox directory", e);
        }
    }

    public static Sandbox create(ToolsmithConfig.SandboxMode mode, SandboxLimits limits) {
        return new Sandbox(mode, limits, which("bwrap"));
    }

    /** A sandbox that takes {@code bwrap} (null: not installed) as its bubblewrap, for tests. */
    static Sandbox withBwrap(ToolsmithConfig.SandboxMode mode, SandboxLimits limits, String bwrap) {
        return new Sandbox(mode, limits, bwrap);
    }

    public SandboxLimits limits() {
        return limits;
    }

    public ToolsmithConfig.SandboxMode mode() {
        return mode;
    }

    /** False when the mode is bwrap and bubblewrap (or prlimit) is missing: nothing may run then. */
    public boolean available() {
        return mode == ToolsmithConfig.SandboxMode.NONE || bwrap != null && prlimit != null;
    }

    /** One line for the start-up log and the refusals. */
    public String describe() {
        if (mode == ToolsmithConfig.SandboxMode.NONE) {
            return "sandbox = none: generated code runs as a plain child process, NOT isolated";
        }
        if (!available()) {
            return "bubblewrap (bwrap) " + (bwrap == null ? "" : "is there but prlimit ") + "is not installed: the toolsmith "
                    + "refuses to run generated code (install bubblewrap, or set agentwire.toolsmith.sandbox = none "
                    + "to run it unsandboxed)";
        }
        return "bwrap at " + bwrap + (setpriv != null ? " as user nobody" : "") + ", no network, " + limits;
    }

    /** A new empty scratch directory, writable by the sandbox's user. */
    public Path newScratch() throws IOException {
        Path dir = Files.createTempDirectory(root, "run-");
        if (setpriv != null && mode == ToolsmithConfig.SandboxMode.BWRAP) {
            Files.setAttribute(dir, "unix:uid", NOBODY);
            Files.setAttribute(dir, "unix:gid", NOBODY);
        }
        return dir;
    }

    /** Deletes a scratch directory and everything in it. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }

    /**
     * Runs {@code command} (its working directory the scratch directory, {@code /work} inside the sandbox) and waits
     * for it within the limits.
     *
     * @param ctx the run, whose cancellation kills the process; may be null
     * @throws IllegalStateException if the sandbox is not {@link #available()}
     * @throws RunCancelledException if the run is cancelled meanwhile (the process is killed first)
     */
    public Result run(Path scratch, List<String> command, AgentContext ctx) throws IOException {
        if (!available()) throw new IllegalStateException(describe());
        ProcessBuilder pb = new ProcessBuilder(commandLine(scratch, command)).redirectErrorStream(true);
        if (mode == ToolsmithConfig.SandboxMode.NONE) {
            pb.directory(scratch.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            pb.environment().put("HOME", scratch.toString());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        }
        long start = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close();
        Output output = new Output(process.getInputStream(), limits.maxOutputBytes(), () -> kill(process));
        Thread reader = Thread.ofVirtual().name("aw-sandbox-output").start(output);
        AgentContext.Registration hook = ctx == null ? () -> { } : ctx.onCancel(() -> kill(process));
        boolean timedOut = false;
        try (hook) {
            if (!process.waitFor(limits.wallTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                kill(process);
                process.waitFor();
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            kill(process);
            throw new RunCancelledException(ctx == null ? "-" : ctx.runId());
        }
        if (ctx != null && ctx.cancelled()) throw new RunCancelledException(ctx.runId());
        return new Result(process.exitValue(), output.text(), timedOut, output.exceeded,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private List<String> commandLine(Path scratch, List<String> command) {
        List<String> line = new ArrayList<>();
        if (mode == ToolsmithConfig.SandboxMode.BWRAP) {
            if (setpriv != null) {
                line.addAll(List.of(setpriv, "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
            }
            line.addAll(List.of(bwrap, "--unshare-all", "--die-with-parent", "--new-session",
                    "--ro-bind", "/usr", "/usr"));
            for (String dir : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
                Path p = Path.of(dir);
                if (Files.isSymbolicLink(p)) {
                    try {
                        line.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), dir));
                    } catch (IOException e) {
                        log.debug("reading {}", p, e);
                    }
                } else if (Files.isDirectory(p)) {
                    line.addAll(List.of("--ro-bind", dir, dir));
                }
            }
            line.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", String.valueOf(16 << 20), "--tmpfs", "/tmp",
                    "--bind", scratch.toString(), "/work", "--chdir", "/work", "--clearenv",
                    "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work",
                    "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--hostname", "sandbox", "--"));
        }
        if (prlimit != null) {
            line.addAll(List.of(prlimit, "--cpu=" + limits.cpuSeconds(), "--as=" + limits.memoryBytes(),
                    "--fsize=" + limits.maxFileBytes(), "--core=0"));
            if (setpriv != null && mode == ToolsmithConfig.SandboxMode.BWRAP) line.add("--nproc=" + limits.maxProcesses());
            line.add("--");
        }
        line.addAll(command);
        return line;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        delete(root);
    }

    private static String which(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads the output up to a limit; past it, kills the process and drains the rest. */
    private static final class Output implements Runnable {
        private final InputStream in;
        private final int max;
        private final Runnable onExceeded;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean exceeded;

        Output(InputStream in, int max, Runnable onExceeded) {
            this.in = in;
            this.max = max;
            this.onExceeded = onExceeded;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                        int room = max - bytes.size();
                        if (n > room) {
                            bytes.write(buf, 0, Math.max(0, room));
                            if (!exceeded) {
                                exceeded = true;
                                onExceeded.run();
                            }
                        } else {
                            bytes.write(buf, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                log.debug("sandbox output", e);
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
