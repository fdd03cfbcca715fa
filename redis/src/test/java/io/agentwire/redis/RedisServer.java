package io.agentwire.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, on a free loopback port with its own directory, persisting as cluster mode
 * documents ({@code appendonly yes}, {@code appendfsync always}, no RDB snapshots). It can be killed hard and
 * started again on the same port and directory.
 */
public final class RedisServer implements AutoCloseable {
    private static final String BINARY = System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server");

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a redis-server in a new temporary directory. */
    public static RedisServer start() {
        try {
            RedisServer r = new RedisServer(Files.createTempDirectory("aw-redis-"), freePort());
            r.restart();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() { return port; }

    public String uri() { return "redis://127.0.0.1:" + port; }

    public Path dir() { return dir; }

    /** (Re)starts the server on the same port and directory; returns once it answers PING. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) throw new IllegalStateException("redis-server is running");
        List<String> cmd = List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
                dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
                "--logfile", dir.resolve("redis.log").toString());
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("can not start " + BINARY, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answersPing()) {
            if (!process.isAlive()) throw new IllegalStateException("redis-server exited: " + log());
            if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not start: " + log());
            sleep(20);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) return;
        if (process.isAlive()) {
            try {
                signal("-CONT"); // a paused process would not die of SIGKILL any later, but be sure it runs on
            } catch (RuntimeException e) {
                // gone meanwhile
            }
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process stays, its connections stay open, it answers nothing (a stall). */
    public synchronized void pause() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("-CONT");
    }

    private void signal(String sig) {
        try {
            Process p = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill " + sig + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2_000);
            s.getOutputStream().write("PING\r\n".getBytes());
            byte[] b = new byte[7];
            int n = s.getInputStream().read(b);
            return n > 0 && new String(b, 0, n).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.exists(dir.resolve("redis.log")) ? Files.readString(dir.resolve("redis.log")) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }

    @Override
    public synchronized void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
