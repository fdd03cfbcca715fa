package io.agentwire.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publish → local fan-out through the core: one publisher, N subscribers of one stream, each of which takes the
 * publication in the shared wire format (encoded once per publication, rule 7) as a dialect does before handing
 * it to its connection's writer. Reports publications/s and, as the {@code deliveries} counter, deliveries/s.
 * Network writes are not part of it: the transport's writer is measured by the bench module's load runs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FanOutBenchmark {
    @Param({"1", "100", "1000"})
    public int subscribers;

    private static final WireFormat<byte[]> JSON_FORMAT = p -> p.data().toString().getBytes(StandardCharsets.UTF_8);

    private Node node;
    private ObjectNode payload;
    private volatile long sink;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Deliveries {
        public long deliveries;

        @Setup(Level.Iteration)
        public void reset() {
            deliveries = 0;
        }
    }

    private final java.util.concurrent.atomic.LongAdder delivered = new java.util.concurrent.atomic.LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
        HistoryConfig history = new HistoryConfig(10_000, java.time.Duration.ofSeconds(60), java.time.Duration.ofMinutes(10));
        node = new Node(new MemoryBroker(history), null, new NodeConfig(history, 100_000, List.of()));
        for (int i = 0; i < subscribers; i++) {
            node.subscribe("room:bench", p -> {
                byte[] wire = p.encoded(JSON_FORMAT);
                sink += wire.length;
                delivered.increment();
            }, null).join();
        }
        payload = JsonNodeFactory.instance.objectNode().put("event", "agent.partial_answer")
                .put("text", "a token or two of a streamed answer");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public void publish(Deliveries counters) {
        long before = delivered.sum();
        node.publish("room:bench", payload).join();
        counters.deliveries += delivered.sum() - before;
    }
}
