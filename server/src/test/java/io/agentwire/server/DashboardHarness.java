package io.agentwire.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs {@code src/test/js/tracking/dashboard.mjs} — a React component written the way AgentCraft's front end
 * components are, in react-test-renderer with {@code ws} as the browser's WebSocket — against a server's tracking
 * port, and reads the JSON lines it prints: one per (re)connection, then its result. Bounded: the process is
 * killed after {@code limit}. A missing {@code node_modules} fails the test with the command that installs it.
 */
final class DashboardHarness implements AutoCloseable {
    static final Path DIR = Path.of("src", "test", "js", "tracking");

    private final Process process;
    private final long deadlineNanos;
    private final LinkedBlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final java.util.List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    DashboardHarness(Map<String, Object> params, Duration limit) throws IOException {
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("react-test-renderer"))) {
            throw new AssertionError("react, react-test-renderer and ws are not installed in " + DIR.toAbsolutePath()
                    + ": run `npm ci --prefix server/src/test/js/tracking` (Node.js 20+) first");
        }
        deadlineNanos = System.nanoTime() + limit.toNanos();
        process = new ProcessBuilder("node", "dashboard.mjs", JsonSocket.JSON.writeValueAsString(params))
                .directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("{")) lines.add(JsonSocket.JSON.readTree(line));
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** The next line matching {@code p}, skipping others; fails at the harness's deadline. */
    JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            JsonNode n = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (n == null) throw new AssertionError("the dashboard harness printed no " + what + " in time; it printed " + seen);
            seen.add(n);
            if (p.test(n)) return n;
        }
    }

    /** The {@code connected} line of the component's {@code opens}-th connection. */
    JsonNode awaitConnected(int opens) throws InterruptedException {
        return await(n -> n.path("event").asText().equals("connected") && n.path("opens").asInt() == opens,
                "connection " + opens);
    }

    /** The result: the component's final state ({@code state}), its client id, whether it timed out. */
    JsonNode result() throws InterruptedException {
        JsonNode r = await(n -> n.path("event").asText().equals("result"), "result");
        process.waitFor(5, TimeUnit.SECONDS);
        return r;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
