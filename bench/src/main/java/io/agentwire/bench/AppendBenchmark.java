package io.agentwire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable appends per second through an {@link EventLog} (JMH inherits the two benchmarks into every subclass, which
 * opens its log in a trial-level setup and passes it to {@link #use}):
 * <ul>
 *   <li>{@code pipelined}: keeps {@code inFlight} appends outstanding (each op waits for the append issued
 *       {@code inFlight} ops earlier), as a busy server with many sessions does; batches fill up. 256 is a server
 *       with a few hundred sessions publishing at once; 4096 a busy one (a batch is at most the store's
 *       {@code max-batch}).</li>
 *   <li>{@code appendAndWait}: one append at a time, each waiting for its commit; every append pays a full
 *       transaction (and its fsync).</li>
 * </ul>
 */
@State(Scope.Benchmark)
public abstract class AppendBenchmark {
    static final int MAX_IN_FLIGHT = 4096;

    /** Appends outstanding in {@code pipelined}, 1..{@value #MAX_IN_FLIGHT}. */
    @Param({"256", "4096"})
    public int inFlight;
    static final int STREAMS = 64;

    private EventLog log;
    private final JsonNode payload = JsonNodeFactory.instance.objectNode()
            .put("type", "tool_call.delta")
            .put("run_id", "run-4711")
            .put("text", "The agent is looking up flights from Lisbon to Oslo for the 14th ...");
    private final String[] streams = new String[STREAMS];

    protected final void use(EventLog eventLog) {
        log = eventLog;
        for (int i = 0; i < STREAMS; i++) streams[i] = "session:bench-" + i;
    }

    /** One producer's window of outstanding appends. */
    @State(Scope.Thread)
    public static class Window {
        @SuppressWarnings("unchecked")
        final CompletableFuture<Publication>[] ring = new CompletableFuture[MAX_IN_FLIGHT];
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
        w.next = (w.next + 1) % inFlight;
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
