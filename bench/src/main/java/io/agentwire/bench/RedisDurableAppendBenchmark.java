package io.agentwire.bench;

import io.agentwire.core.HistoryConfig;
import io.agentwire.redis.RedisCluster;
import io.agentwire.redis.RedisConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link DurableAppendBenchmark} for the Redis event log (cluster mode): the benchmark starts its own
 * {@code redis-server} (the {@code REDIS_SERVER} binary, default {@code /usr/bin/redis-server}) on a free loopback
 * port in a temporary directory, with the persistence cluster mode documents: {@code appendonly yes},
 * {@code appendfsync always}, no RDB snapshots. It is stopped at the end of the trial.
 * Run: {@code java -jar bench/target/benchmarks.jar 'DurableAppend' -f 1 -wi 2 -i 3 -w 2s -r 2s} (both logs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisDurableAppendBenchmark extends AppendBenchmark {
    private Path dir;
    private Process redis;
    private RedisCluster cluster;

    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("aw-redis-append-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder(List.of(System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!answers(port)) {
            if (!redis.isAlive() || System.nanoTime() > deadline) {
                redis.destroyForcibly();
                throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        cluster = RedisCluster.open(RedisConfig.of("redis://127.0.0.1:" + port), HistoryConfig.DEFAULT);
        use(cluster.eventLog());
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, InterruptedException {
        try {
            if (cluster != null) cluster.close();
        } finally {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly().waitFor();
            DurableAppendBenchmark.deleteTree(dir);
        }
    }
}
