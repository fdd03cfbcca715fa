package io.agentwire.bench;

import io.agentwire.store.SqliteStore;
import io.agentwire.store.SqliteStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable appends per second through {@code SqliteStore.eventLog().append} (group commit), for both synchronous
 * levels; the two benchmarks are {@link AppendBenchmark}'s. {@link RedisDurableAppendBenchmark} is the same for the
 * Redis event log.
 * Run: {@code java -jar bench/target/benchmarks.jar DurableAppend -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 * The database lives in a temporary directory, so the figures depend on that file system.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableAppendBenchmark extends AppendBenchmark {
    @Param({"FULL", "NORMAL"})
    public String synchronous;

    /** The store's {@code max-batch} (most appends per transaction); 4 096 is the default. */
    @Param({"512", "4096"})
    public int maxBatch;

    private Path dir;
    private SqliteStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("aw-durable-append-");
        store = SqliteStore.open(SqliteStoreConfig.defaults(dir)
                .withSynchronous(SqliteStoreConfig.Synchronous.valueOf(synchronous)).withMaxBatch(maxBatch));
        use(store.eventLog());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
