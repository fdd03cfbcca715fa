package io.agentwire.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.CompactJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code MemoryBroker} pays per publication for keeping its payload compact ({@link CompactJson#compact}),
 * against what every publication pays anyway, its encoding once ({@code writeValueAsBytes}), and Jackson's own
 * {@code deepCopy}, in the same run: ns per operation for an envelope event and for a Socket.IO broadcast entry.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CompactJsonBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"envelope", "socketio"})
    public String payload;

    private JsonNode tree;

    @Setup
    public void setUp() throws JsonProcessingException {
        tree = JSON.readTree(switch (payload) {
            case "envelope" -> "{\"event\":\"agent.message_delta\",\"session_id\":\"sess_01JD9Y6Z3K8Q\",\"run_id\":\"run_01JD9Y7A\","
                    + "\"content\":{\"delta\":\"The tool returned three results; the first\",\"index\":12},"
                    + "\"metadata\":{\"agent\":\"demo\",\"step\":3,\"ts\":1764841234567}}";
            default -> "{\"rooms\":[\"bench\"],\"except\":[],\"volatile\":false,"
                    + "\"data\":[\"m\",{\"seq\":1234,\"text\":\"partial answer\",\"ts\":1764841234567}]}";
        });
    }

    @Benchmark
    public JsonNode compact() {
        return CompactJson.compact(tree);
    }

    @Benchmark
    public JsonNode jacksonDeepCopy() {
        return tree.deepCopy();
    }

    @Benchmark
    public byte[] encode() throws JsonProcessingException {
        return JSON.writeValueAsBytes(tree);
    }
}
