package io.agentwire.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/js/rooms/harness.mjs} — the official socket.io-client, used as spec 004's clients use it —
 * against a server's rooms port and returns its JSON. Bounded: the process is killed after {@code limit}. A missing
 * {@code node_modules} fails the test with the command that installs it; it never skips.
 */
final class RoomsHarness {
    static final Path DIR = Path.of("src", "test", "js", "rooms");

    private RoomsHarness() { }

    /** Parameters every scenario gets: the rooms port's URL (sockets and API) and the API key. */
    static Map<String, Object> params(int roomsPort, String apiKey) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base", "http://127.0.0.1:" + roomsPort);
        p.put("api", "http://127.0.0.1:" + roomsPort);
        p.put("key", apiKey);
        return p;
    }

    static JsonNode run(String scenario, Map<String, Object> params, Duration limit) throws IOException, InterruptedException {
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("socket.io-client"))) {
            throw new AssertionError("socket.io-client is not installed in " + DIR.toAbsolutePath() + " for the rooms "
                    + "tests: run `npm ci --prefix server/src/test/js/rooms` (Node.js 20+) first");
        }
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("timeoutMs", limit.toMillis() - 2_000);
        Process p = new ProcessBuilder("node", "harness.mjs", scenario, JsonSocket.JSON.writeValueAsString(all))
                .directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("harness " + scenario + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            JsonNode result = JsonSocket.JSON.readTree(last);
            if (result == null || result.has("error") || p.exitValue() != 0) {
                throw new AssertionError("harness " + scenario + " failed: " + text);
            }
            return result;
        } finally {
            p.destroyForcibly();
        }
    }
}
