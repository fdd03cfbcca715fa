package io.agentwire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import io.agentwire.store.SqliteStore;
import io.agentwire.store.SqliteStoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
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
 * Durable appends per second through {@code SqliteStore.eventLog().append} (group commit), for both
 * synchronous levels:
 * <ul>
 *   <li>{@code pipelined}: keeps {@value #IN_FLIGHT} appends outstanding (each op waits for the append issued
 *       {@value #IN_FLIGHT} ops earlier), as a busy server with many sessions does; batches fill up.</li>
 *   <li>{@code appendAndWait}: one append at a time, each waiting for its commit; every append pays a full
 *       transaction (and, with FULL, an fsync).</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar DurableAppend -f 1 -wi 2 -i 3 -w 2s -r 2s}.
 * The database lives in a temporary directory, so the figures depend on that file system.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableAppendBenchmark {
    static final int IN_FLIGHT = 256;
    static final int STREAMS = 64;

    @Param({"FULL", "NORMAL"})
    public String synchronous;

    private Path dir;
    private SqliteStore store;
    private EventLog log;
    private JsonNode payload;
    private String[] streams;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("aw-durable-append-");
        store = SqliteStore.open(SqliteStoreConfig.defaults(dir)
                .withSynchronous(SqliteStoreConfig.Synchronous.valueOf(synchronous)));
        log = store.eventLog();
        payload = JsonNodeFactory.instance.objectNode()
                .put("type", "tool_call.delta")
                .put("run_id", "run-4711")
                .put("text", "The agent is looking up flights from Lisbon to Oslo for the 14th ...");
        streams = new String[STREAMS];
        for (int i = 0; i < STREAMS; i++) streams[i] = "session:bench-" + i;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One producer's window of outstanding appends. */
    @State(Scope.Thread)
    public static class Window {
        @SuppressWarnings("unchecked")
        final CompletableFuture<Publication>[] ring = new CompletableFuture[IN_FLIGHT];
        int next;
        int stream;

        @TearDown(Level.Iteration)
        public void drain() {
            for (int i = 0; i < ring.length; i++) {
                if (ring[i] != null) ring[i].join();
                ring[i] = null;
            }
        }
    }

    @Benchmark
    public Publication pipelined(Window w) {
        CompletableFuture<Publication> oldest = w.ring[w.next];
        Publication done = oldest == null ? null : oldest.join();
        w.ring[w.next] = log.append(streams[w.stream], payload);
        w.next = (w.next + 1) % IN_FLIGHT;
        w.stream = (w.stream + 1) % STREAMS;
        return done;
    }

    @Benchmark
    public Publication appendAndWait(Window w) {
        Publication p = log.append(streams[w.stream], payload).join();
        w.stream = (w.stream + 1) % STREAMS;
        return p;
    }
}
