package io.agentwire.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The one boundary where blocking work (JDBC, agents, model and tool calls) leaves the event loops: it runs on
 * virtual threads. Code on a Netty event loop never blocks; it calls {@link #supply} or {@link #run} and
 * continues when the future completes (rule 5 of DESIGN.md).
 */
public final class Blocking {
    private static final ThreadFactory FACTORY = Thread.ofVirtual().name("aw-blocking-", 0).factory();
    private static final ExecutorService EXECUTOR = Executors.newThreadPerTaskExecutor(FACTORY);

    private Blocking() { }

    /** Runs {@code work} on a virtual thread; the future completes with its result or its exception. */
    public static <T> CompletableFuture<T> supply(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        EXECUTOR.execute(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Runs {@code work} on a virtual thread. */
    public static CompletableFuture<Void> run(ThrowingRunnable work) {
        return supply(() -> {
            work.run();
            return null;
        });
    }

    /** Starts a long-running task (an agent run) on its own named virtual thread. */
    public static Thread start(String name, Runnable task) {
        return Thread.ofVirtual().name(name).start(task);
    }

    /** The executor behind the boundary, for APIs that take one. */
    public static ExecutorService executor() {
        return EXECUTOR;
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
