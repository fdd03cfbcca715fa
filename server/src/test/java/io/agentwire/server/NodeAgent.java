package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The reference remote agent of docs/remote-agents.md (examples/remote-agent) as a Node subprocess; its stdout
 * lines (one JSON object each) are collected so a test can wait for what it did.
 */
final class NodeAgent implements AutoCloseable {
    static final Path EXAMPLE = Path.of("..", "examples", "remote-agent").toAbsolutePath().normalize();

    private final Process process;
    final LinkedBlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    final List<String> output = new CopyOnWriteArrayList<>();

    private NodeAgent(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::read);
    }

    /** Starts {@code node remote-agent.mjs ws://127.0.0.1:PORT/agents --name NAME --state STATE --step-delay MS}. */
    static NodeAgent start(int port, String apiKey, String name, Path state, int stepDelayMs) throws IOException {
        assertThat(EXAMPLE.resolve("node_modules/ws")).as("npm ci has run in " + EXAMPLE).exists();
        ProcessBuilder pb = new ProcessBuilder("node", "remote-agent.mjs", "ws://127.0.0.1:" + port + "/agents",
                "--name", name, "--state", state.toString(), "--step-delay", Integer.toString(stepDelayMs))
                .directory(EXAMPLE.toFile()).redirectErrorStream(true);
        pb.environment().put("AGENTWIRE_API_KEY", apiKey);
        return new NodeAgent(pb.start());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                try {
                    lines.add(JsonSocket.JSON.readTree(line));
                } catch (IOException notJson) {
                    // a Node warning or stack trace: kept in output for the failure message
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** The next line matching {@code p}; fails after 30 s (a guard, not a performance assertion). */
    JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode n = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (n == null) throw new AssertionError("agent: timed out waiting for " + what + "; output: " + output);
            if (p.test(n)) return n;
        }
    }

    JsonNode awaitLog(String what) throws InterruptedException {
        return await(n -> what.equals(n.path("log").asText()), what);
    }

    /** SIGKILL: the process gets no chance to close its connection or save anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("agent process ended").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
