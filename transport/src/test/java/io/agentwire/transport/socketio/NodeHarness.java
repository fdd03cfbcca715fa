package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/js/harness.mjs} (the official socket.io-client and raw clients, on Node.js) against a server
 * and returns its JSON. Bounded: the process is killed after 40 s. A missing {@code node_modules} fails the test
 * with the command that installs it; it never skips.
 */
final class NodeHarness {
    static final Path DIR = Path.of("src", "test", "js");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeHarness() { }

    static JsonNode run(String scenario, int port) throws IOException, InterruptedException {
        return run(DIR, scenario, port);
    }

    /** Runs {@code harness.mjs} of {@code dir}; fails (never skips) when its {@code node_modules} is missing. */
    static JsonNode run(Path dir, String scenario, int port) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + dir.toAbsolutePath() + " for the "
                    + "Socket.IO tests: run `npm ci --prefix transport/src/test/js` (Node.js 20+) first");
        }
        Process p = new ProcessBuilder("node", "harness.mjs", scenario, "http://127.0.0.1:" + port)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(40, TimeUnit.SECONDS)) throw new AssertionError("harness " + scenario + " did not finish");
            String text = new String(out, StandardCharsets.UTF_8).trim();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            JsonNode result = JSON.readTree(last);
            if (result.has("error") || p.exitValue() != 0) throw new AssertionError("harness " + scenario + " failed: " + text);
            return result;
        } finally {
            p.destroyForcibly();
        }
    }
}
