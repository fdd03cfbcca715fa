package io.agentwire.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Publication;
import io.agentwire.core.Subscriber;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Measured, not asserted (docs/cluster.md): publish → deliver throughput and latency on one node (memory broker),
 * on one node through Redis, and across two nodes through Redis, in the same run. Run by hand:
 * <pre>
 * ./mvnw -q -pl redis -am test-compile -DskipTests
 * java -cp "redis/target/test-classes:redis/target/classes:core/target/classes:$(cat redis/target/cp.txt)" \
 *     io.agentwire.redis.ClusterLoad [messages] [in-flight] [payload bytes]
 * </pre>
 * ({@code cp.txt} from {@code ./mvnw -q -pl redis dependency:build-classpath -Dmdep.outputFile=target/cp.txt}).
 */
public final class ClusterLoad {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        HistoryConfig h = HistoryConfig.DEFAULT;
        NodeConfig nc = new NodeConfig(h, 1_000_000, List.of("session:"));
        try (RedisServer redis = RedisServer.start()) {
            System.out.printf("%d messages, %d in flight, %d-byte payloads, redis-server with appendfsync always%n", n, inFlight, payload);
            for (int round = 1; round <= 2; round++) { // round 1 warms the JIT up
                Result local;
                try (Node node = new Node(new MemoryBroker(h), null, nc)) {
                    local = run(node, node, "room:local" + round, n, inFlight, payload);
                }
                Result oneRedis;
                Result cross;
                try (RedisCluster a = RedisCluster.open(RedisConfig.of(redis.uri()), h);
                     RedisCluster b = RedisCluster.open(RedisConfig.of(redis.uri()), h);
                     Node na = new Node(a.broker(), a.eventLog(), nc);
                     Node nb = new Node(b.broker(), b.eventLog(), nc)) {
                    oneRedis = run(na, na, "room:same" + round, n, inFlight, payload);
                    cross = run(na, nb, "room:cross" + round, n, inFlight, payload);
                }
                if (round == 1) continue;
                System.out.println(local.line("one node, memory broker"));
                System.out.println(oneRedis.line("one node, Redis broker"));
                System.out.println(cross.line("two nodes, publish A → deliver B"));
                System.out.printf("cross-node / one node (memory): throughput %.2f, p50 latency %.1fx, p99 %.1fx%n",
                        cross.perSecond / local.perSecond, cross.p50 / local.p50, cross.p99 / local.p99);
                System.out.printf("cross-node / one node (Redis):  throughput %.2f, p50 latency %.1fx, p99 %.1fx%n",
                        cross.perSecond / oneRedis.perSecond, cross.p50 / oneRedis.p50, cross.p99 / oneRedis.p99);
            }
        }
    }

    record Result(double perSecond, double p50, double p99) {
        String line(String what) {
            return String.format("%-34s %9.0f msg/s   latency p50 %7.3f ms  p99 %7.3f ms", what, perSecond, p50, p99);
        }
    }

    private static Result run(Node publisher, Node receiver, String stream, int n, int inFlight, int payload) throws Exception {
        long[] latencies = new long[n];
        CountDownLatch done = new CountDownLatch(n);
        int[] count = new int[1];
        receiver.subscribe(stream, new Subscriber() {
            @Override public void onPublication(Publication p) {
                long sent = p.data().get("t").asLong();
                synchronized (count) {
                    if (count[0] < n) latencies[count[0]++] = System.nanoTime() - sent;
                }
                done.countDown();
            }

            @Override public void onTerminated(ErrorCode reason) {
                throw new IllegalStateException("terminated: " + reason);
            }
        }, null).join();
        String pad = "x".repeat(payload);
        Semaphore window = new Semaphore(inFlight);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            publisher.publish(stream, JsonNodeFactory.instance.objectNode().put("t", System.nanoTime()).put("p", pad))
                    .whenComplete((p, e) -> window.release());
        }
        if (!done.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("not all delivered");
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        return new Result(n / seconds, latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6);
    }
}
