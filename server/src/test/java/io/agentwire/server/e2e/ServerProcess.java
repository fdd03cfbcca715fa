package io.agentwire.server.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real server as a separate process ({@code io.agentwire.server.Main serve}), started the way a user starts
 * it, on a free loopback port, so tests can kill it with SIGKILL and start it again on the same data.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;
    final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static ServerProcess start(Path dataDir, Path config, Path logFile) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.agentwire.server.Main", "serve", "--dev",
                "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--data-dir", dataDir.toString(), "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        pb.environment().put("AGENTWIRE_TRACKING_PORT", "0"); // not the documented 8000, which may be taken
        pb.environment().put("AGENTWIRE_ROOMS_PORT", "0");
        pb.environment().put("AGENTWIRE_PROGRESS_ENABLED", "false"); // port 0 would share rooms' (both /socket.io/)
        pb.environment().put("AGENTWIRE_MESH_ENABLED", "false");
        Process p = pb.start();
        ServerProcess sp = new ServerProcess(p, port, logFile);
        sp.awaitHealthy();
        return sp;
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + logText());
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server did not become ready:\n" + logText());
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: graceful
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) kill();
        }
    }
}
