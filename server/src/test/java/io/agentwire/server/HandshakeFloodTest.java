package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 1: a flood of unauthenticated Engine.IO handshakes against a server with a 256 MB heap (its own
 * JVM, as an operator would start it) for a few seconds. The sessions that joined no namespace stay bounded by
 * {@code agentwire.rooms.max-pending-sessions}, /healthz answers during and after the flood, a client with
 * a token connects to the rooms namespace in the middle of it (from another address: one flooding address holds at
 * most {@code max-pending-sessions-per-address}), and SIGTERM still stops the process.
 */
@Tag("integration")
class HandshakeFloodTest {
    private static final int MAX_PENDING = 300;
    private static final int PER_ADDRESS = 100;
    private static final Duration FLOOD = Duration.ofSeconds(6);
    private static final Pattern SESSIONS = Pattern.compile("(?m)^agentwire_rooms_engineio_sessions\\s+([0-9.eE+]+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The legitimate client comes from another loopback address than the flood (127.0.0.1). */
    private final HttpClient legit = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .localAddress(loopback2()).build();

    @Test
    void aFloodOfHandshakesStaysBoundedAndTheServerKeepsAnswering() throws Exception {
        int httpPort = freePort();
        int roomsPort = freePort();
        Path log = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(httpPort), "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET);
        pb.environment().put("AGENTWIRE_TRACKING_PORT", Integer.toString(roomsPort));
        pb.environment().put("AGENTWIRE_ROOMS_PORT", Integer.toString(roomsPort));
        pb.environment().put("AGENTWIRE_MESH_ENABLED", "false"); // not the documented 3001, which may be taken
        pb.environment().put("AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS", Integer.toString(MAX_PENDING));
        pb.environment().put("AGENTWIRE_ROOMS_MAX_PENDING_SESSIONS_PER_ADDRESS", Integer.toString(PER_ADDRESS));
        Process server = pb.start();
        try {
            awaitHealthy(httpPort, Duration.ofSeconds(90), log);
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong handshakes = new AtomicLong();
            List<Thread> flooders = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                flooders.add(Thread.ofPlatform().daemon().start(() -> flood(roomsPort, flooding, handshakes)));
            }
            long until = System.nanoTime() + FLOOD.toNanos();
            Thread.sleep(FLOOD.toMillis() / 2);
            assertThat(healthz(httpPort)).as("/healthz during the flood").isEqualTo(200);
            assertThat(legitimateConnect(roomsPort)).as("a client with a token, during the flood").startsWith("40/ws,{");
            while (System.nanoTime() < until) Thread.sleep(50);
            flooding.set(false);
            for (Thread t : flooders) t.join(10_000);

            assertThat(handshakes.get()).as("handshakes the flood made").isGreaterThan(MAX_PENDING * 3L);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long sessions;
            do {
                sessions = sessions(httpPort);
                if (sessions <= MAX_PENDING + 2) break;
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
            assertThat(sessions).as("Engine.IO sessions after %d handshakes", handshakes.get())
                    .isLessThanOrEqualTo(MAX_PENDING + 2); // + the two clients that connected
            assertThat(healthz(httpPort)).as("/healthz after the flood").isEqualTo(200);
            assertThat(legitimateConnect(roomsPort)).as("a client with a token, after the flood").startsWith("40/ws,{");
            assertThat(server.isAlive()).isTrue();
        } finally {
            server.destroy(); // SIGTERM: a clean stop
            boolean stopped = server.waitFor(30, TimeUnit.SECONDS);
            if (!stopped) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(stopped).as("the server stopped on SIGTERM; its log: %s", tail(log)).isTrue();
        }
    }

    /** Keep-alive polling handshakes, one after the other, on one socket (a new one when the server hangs up). */
    private static void flood(int port, AtomicBoolean flooding, AtomicLong handshakes) {
        byte[] request = "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        while (flooding.get()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                while (flooding.get()) {
                    out.write(request);
                    if (!readResponse(in)) break;
                    handshakes.incrementAndGet();
                }
            } catch (IOException e) {
                // refused, reset or timed out: try again
            }
        }
    }

    /** Reads one HTTP response (headers and a content-length body); false at the end of the stream. */
    private static boolean readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return false;
            head.append((char) b);
        }
        Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return in.readNBytes(length).length == length;
    }

    /**
     * Polling handshake (again after a 503, as socket.io-client reconnects, 20 times at most), CONNECT to /ws with a
     * token, then the poll that carries the CONNECT reply.
     */
    private String legitimateConnect(int port) throws Exception {
        String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
        HttpResponse<String> handshake = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            handshake = legit.send(HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (handshake.statusCode() != 503) break;
            assertThat(handshake.body()).contains("Server busy");
            Thread.sleep(100);
        }
        assertThat(handshake.statusCode()).as("the handshake").isEqualTo(200);
        String open = handshake.body();
        String sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        String token = TestTokens.hs256("alice", "p1");
        long t0 = System.nanoTime();
        String posted = send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
                .POST(HttpRequest.BodyPublishers.ofString("40/ws,{\"token\":\"" + token + "\"}")));
        long t1 = System.nanoTime();
        String reply = send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid)).GET());
        reply = reply.startsWith("2\u001e") ? reply.substring(2) : reply; // a ping may come first
        return reply.startsWith("40/ws,{") ? reply : reply + " (sid " + sid + ", POST answered " + posted + " after "
                + (t1 - t0) / 1_000_000 + " ms, poll after " + (System.nanoTime() - t1) / 1_000_000 + " ms)";
    }

    private String send(HttpRequest.Builder request) throws Exception {
        return legit.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int healthz(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private long sessions(int port) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = SESSIONS.matcher(metrics);
        assertThat(m.find()).as("the sessions gauge in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private void awaitHealthy(int port, Duration within, Path log) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (healthz(port) == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the server did not start: " + tail(log));
            Thread.sleep(200);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3_000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static java.net.InetAddress loopback2() {
        try {
            return java.net.InetAddress.getByName("127.0.0.2");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
