package io.agentwire.agent.mcp;

import io.modelcontextprotocol.client.transport.StdioClientTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Watches the process behind a stdio transport and completes {@link #exited()} when it ends, so that a server that
 * dies (at start or later) fails its requests at once instead of after their timeouts. The SDK creates the process
 * when the transport connects; until then the watch waits for it.
 */
final class ProcessWatch {
    private static final Duration POLL = Duration.ofMillis(20);

    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopped;

    ProcessWatch(String name, StdioClientTransport stdio) {
        thread = Thread.ofVirtual().name("aw-mcp-" + name + "-watch").start(() -> watch(stdio));
    }

    private void watch(StdioClientTransport stdio) {
        while (!stopped) {
            try {
                stdio.awaitForExit();
                exited.complete(null);
                return;
            } catch (NullPointerException e) {
                try {
                    Thread.sleep(POLL); // the process is not started yet
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (RuntimeException e) {
                return; // interrupted: stopped
            }
        }
    }

    CompletableFuture<Void> exited() {
        return exited;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }
}
