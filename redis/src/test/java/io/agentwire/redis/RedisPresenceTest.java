package io.agentwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Presence;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence across nodes: counts are the cluster's, a stopped node leaves them at once, a dead one after its TTL. */
@Tag("integration")
class RedisPresenceTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static RedisCluster node(String prefix) {
        return REDIS.cluster(prefix, HistoryConfig.DEFAULT, Duration.ofMillis(400));
    }

    private static Presence.Snapshot snapshot(RedisCluster c, String scope) {
        return c.presence().snapshot(scope).join();
    }

    @Test
    void countsAreTheClustersAndLeaveWithTheirNode() {
        String prefix = "p" + System.nanoTime();
        try (RedisCluster a = node(prefix); RedisCluster b = node(prefix)) {
            RedisCluster c = node(prefix);
            a.presence().connected("rooms", "a1");
            a.presence().connected("rooms", "a2");
            a.presence().joined("rooms", "a1", "lobby");
            a.presence().joined("rooms", "a2", "lobby");
            a.presence().joined("rooms", "a2", "x");
            b.presence().connected("rooms", "b1");
            b.presence().joined("rooms", "b1", "lobby");
            c.presence().connected("rooms", "c1");
            c.presence().joined("rooms", "c1", "x");
            c.presence().connected("other", "c2");
            Presence.Snapshot all = new Presence.Snapshot(4, Map.of("lobby", 3L, "x", 2L));
            Received.await(() -> snapshot(a, "rooms").equals(all) && snapshot(b, "rooms").equals(all), "cluster-wide counts");
            Received.await(() -> snapshot(b, "other").equals(new Presence.Snapshot(1, Map.of())), "another scope");

            a.presence().left("rooms", "a2", "x");
            a.presence().disconnected("rooms", "a1");
            Presence.Snapshot afterLeaving = new Presence.Snapshot(3, Map.of("lobby", 2L, "x", 1L));
            Received.await(() -> snapshot(b, "rooms").equals(afterLeaving), "leaves and disconnects counted");

            c.crash(); // a node that dies stops its heartbeat: its entries expire after three
            Presence.Snapshot withoutC = new Presence.Snapshot(2, Map.of("lobby", 2L));
            Received.await(() -> snapshot(a, "rooms").equals(withoutC), "a dead node's connections leave the counts");
            Received.await(() -> snapshot(a, "other").equals(new Presence.Snapshot(0, Map.of())), "in every scope");

            b.close(); // a clean stop removes its entries at once
            assertThat(snapshot(a, "rooms")).isEqualTo(new Presence.Snapshot(1, Map.of("lobby", 1L)));
        }
    }

    @Test
    void countsComeBackAfterRedisLostThem() {
        String prefix = "q" + System.nanoTime();
        try (RedisCluster a = node(prefix); RedisCluster b = node(prefix)) {
            a.presence().connected("s", "1");
            b.presence().connected("s", "2");
            Received.await(() -> snapshot(a, "s").connections() == 2, "both counted");
            a.broker().publish("room:z", RedisBrokerTest.data(1)).join(); // (the broker shares the connection)
            try (var conn = io.lettuce.core.RedisClient.create(REDIS.server().uri()).connect()) {
                conn.sync().flushall();
            }
            Received.await(() -> snapshot(b, "s").connections() == 2, "rewritten by the heartbeat");
        }
    }
}
