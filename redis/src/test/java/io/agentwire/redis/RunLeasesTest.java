package io.agentwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.HistoryConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The runs of a node that died are handed, once, to a live node; a live node's runs are left alone. */
@Tag("integration")
class RunLeasesTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static RedisCluster node(String prefix) {
        return REDIS.cluster(prefix, HistoryConfig.DEFAULT, Duration.ofMillis(300));
    }

    @Test
    void theRunsOfADeadNodeAreEndedOnceByAnother() throws Exception {
        String prefix = "r" + System.nanoTime();
        try (RedisCluster a = node(prefix); RedisCluster b = node(prefix); RedisCluster c = node(prefix)) {
            RedisCluster dying = node(prefix);
            List<String> endedByB = new CopyOnWriteArrayList<>();
            List<String> endedByC = new CopyOnWriteArrayList<>();
            b.runLeases().onOrphans((s, r) -> endedByB.add(s + "/" + r));
            c.runLeases().onOrphans((s, r) -> endedByC.add(s + "/" + r));
            a.runLeases().started("s1", "run_live");
            dying.runLeases().started("s2", "run_1");
            dying.runLeases().started("s2", "run_2");
            dying.runLeases().started("s3", "run_3");
            dying.runLeases().ended("s3", "run_3");
            try (var redis = io.lettuce.core.RedisClient.create(REDIS.server().uri()); var conn = redis.connect()) {
                Received.await(() -> conn.sync().hlen(prefix + ":runs:" + dying.nodeId()) == 2
                        && conn.sync().exists(prefix + ":node:" + dying.nodeId()) == 1, "the dying node's leases in Redis");
            }
            dying.crash();
            Received.await(() -> endedByB.size() + endedByC.size() == 2, "the dead node's two runs ended");
            Thread.sleep(500); // more heartbeats: nothing is handed out twice, and the live node's run stays
            List<String> all = new java.util.ArrayList<>(endedByB);
            all.addAll(endedByC);
            assertThat(all).containsExactlyInAnyOrder("s2/run_1", "s2/run_2");
        }
    }
}
