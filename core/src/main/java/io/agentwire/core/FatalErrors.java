package io.agentwire.core;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;

/**
 * An {@link OutOfMemoryError} ends the process: a JVM that ran out of memory once has lost threads and state at
 * random and would limp on, answering nothing (issue 17). {@link #install()} makes every thread that dies of one halt
 * the process with {@link #EXIT_CODE} after one line on stderr; {@link #check} does the same for an error caught by a
 * framework (Netty hands handler errors to {@code exceptionCaught}). The launcher should also pass
 * {@code -XX:+ExitOnOutOfMemoryError}, which covers allocations whose error nobody sees; {@link #jvmExitsOnOom()}
 * says whether it did.
 */
public final class FatalErrors {
    /** The exit code of a process halted for lack of memory. */
    public static final int EXIT_CODE = 3;

    private static volatile IntConsumer halt = code -> Runtime.getRuntime().halt(code);
    private static volatile PrintStream err = System.err;

    private FatalErrors() { }

    /** Makes a thread that dies of an OutOfMemoryError halt the process; other deaths go to the previous handler. */
    public static void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            check(error, "thread " + thread.getName());
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                err.println("Exception in thread \"" + thread.getName() + "\" " + error);
                error.printStackTrace(err);
            }
        });
    }

    /** Halts the process if {@code error} is, or was caused by, an OutOfMemoryError; else returns. */
    public static void check(Throwable error, String where) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                try {
                    err.println("agentwire: out of memory in " + where + " (" + t.getMessage() + "); exiting with code "
                            + EXIT_CODE + " (raise -Xmx or lower the limits in docs/limits.md)");
                    err.flush();
                } finally {
                    halt.accept(EXIT_CODE);
                }
                return;
            }
        }
    }

    /** Whether the JVM runs with {@code -XX:+ExitOnOutOfMemoryError} (false when it can not tell). */
    public static boolean jvmExitsOnOom() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+ExitOnOutOfMemoryError")
                    || ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+CrashOnOutOfMemoryError");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** For tests: what halting does and where the line goes. */
    static void halting(IntConsumer h, PrintStream e) {
        halt = h;
        err = e;
    }
}
