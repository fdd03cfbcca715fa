package io.agentwire.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.History;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Publication;
import io.agentwire.core.Resume;
import io.agentwire.core.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis broker against a real redis-server: offsets, window, order across nodes, Redis going away. */
@Tag("integration")
class RedisBrokerTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private final String prefix = "t" + System.nanoTime();

    static ObjectNode data(long i) {
        return JsonNodeFactory.instance.objectNode().put("i", i);
    }

    private RedisCluster cluster(HistoryConfig history) {
        return REDIS.cluster(prefix, history, Duration.ofSeconds(2));
    }

    private Node node(RedisCluster c, HistoryConfig history) {
        return REDIS.closeAfter(new Node(c.broker(), c.eventLog(), new NodeConfig(history, 100_000, List.of("session:"))));
    }

    @Test
    void offsetsRiseByOneAndHistoryAnswersAllOrNothing() {
        HistoryConfig h = new HistoryConfig(5, Duration.ofMinutes(1), Duration.ofMinutes(10));
        RedisBroker b = cluster(h).broker();
        for (int i = 1; i <= 8; i++) {
            Publication p = b.publish("room:a", data(i)).join();
            assertThat(p.offset()).isEqualTo(i);
        }
        StreamPosition top = b.top("room:a").join();
        assertThat(top.offset()).isEqualTo(8);

        History within = b.history("room:a", top.withOffset(5), 100).join();
        assertThat(within.complete()).isTrue();
        assertThat(within.publications()).extracting(p -> p.data().get("i").asLong()).containsExactly(6L, 7L, 8L);
        assertThat(within.publications()).extracting(Publication::epoch).containsOnly(top.epoch());

        assertThat(b.history("room:a", top.withOffset(2), 100).join().reason()).isEqualTo(History.Gap.EVICTED);
        assertThat(b.history("room:a", top.withOffset(4), 2).join().reason()).isEqualTo(History.Gap.LIMIT);
        assertThat(b.history("room:a", new StreamPosition(7, "other"), 100).join().reason())
                .isEqualTo(History.Gap.EPOCH_CHANGED);
        assertThat(b.history("room:a", top.withOffset(9), 100).join().reason()).isEqualTo(History.Gap.EPOCH_CHANGED);
        assertThat(b.history("room:a", top, 100).join().publications()).isEmpty();
        assertThat(b.history("room:none", new StreamPosition(0, ""), 100).join().complete()).isTrue();
        assertThat(b.history("room:none", new StreamPosition(3, "x"), 100).join().reason()).isEqualTo(History.Gap.EVICTED);
    }

    @Test
    void appendKeepsTheOffsetsOfADurableLogAndRestartsTheWindowWhenTheyDoNotFollow() {
        HistoryConfig h = HistoryConfig.DEFAULT;
        RedisCluster c = cluster(h);
        Node other = node(cluster(h), h);
        Received r = new Received();
        other.subscribe("room:log", r, null).join();
        for (int i = 1; i <= 3; i++) c.broker().append(new Publication("room:log", i, "e1", 1_000L * i, data(i))).join();
        c.broker().append(new Publication("room:log", 2, "e1", 2_000L, data(2))).join(); // again: ignored
        assertThat(c.broker().top("room:log").join()).isEqualTo(new StreamPosition(3, "e1"));
        r.awaitCount(3);
        assertThat(r.offsets()).containsExactly(1L, 2L, 3L);
        c.broker().append(new Publication("room:log", 7, "e2", System.currentTimeMillis(), data(7))).join();
        assertThat(c.broker().top("room:log").join()).isEqualTo(new StreamPosition(7, "e2"));
        assertThat(c.broker().history("room:log", new StreamPosition(6, "e2"), 10).join().publications())
                .extracting(Publication::offset).containsExactly(7L);
        assertThat(c.broker().history("room:log", new StreamPosition(2, "e1"), 10).join().reason())
                .isEqualTo(History.Gap.EPOCH_CHANGED);
    }

    @Test
    void publicationsOlderThanTheWindowAreNotReplayed() throws Exception {
        HistoryConfig h = new HistoryConfig(100, Duration.ofSeconds(2), Duration.ofMinutes(10));
        RedisBroker b = cluster(h).broker();
        b.publish("room:old", data(1)).join();
        StreamPosition start = new StreamPosition(0, b.top("room:old").join().epoch());
        Thread.sleep(2_100); // the window's age bound is the behaviour under test
        b.publish("room:old", data(2)).join();
        assertThat(b.history("room:old", start, 100).join().reason()).isEqualTo(History.Gap.EVICTED);
        assertThat(b.history("room:old", start.withOffset(1), 100).join().publications()).hasSize(1);
    }

    @Test
    void anIdleStreamKeepsItsEpochWhileSubscribedAndIsForgottenOtherwise() throws Exception {
        HistoryConfig h = new HistoryConfig(100, Duration.ofMillis(500), Duration.ofSeconds(1));
        RedisCluster c = cluster(h);
        Node node = node(c, h);
        c.broker().retainWhile(stream -> node.localSubscribers(stream) > 0);
        node.publish("room:kept", data(1)).join();
        StreamPosition unwatched = node.publish("room:free", data(1)).join().position();
        Received r = new Received();
        node.subscribe("room:kept", r, null).join();
        Thread.sleep(2_500); // idle for more than two idle timeouts: the behaviour under test
        Publication next = node.publish("room:kept", data(2)).join();
        assertThat(next.offset()).as("same stream, not restarted").isEqualTo(2);
        r.awaitCount(1);
        assertThat(r.terminated).isNull();
        assertThat(node.publish("room:free", data(2)).join().epoch()).as("forgotten, new epoch").isNotEqualTo(unwatched.epoch());
    }

    @Test
    void twoNodesSeeTheSameEventsInTheSameOrderWhoeverPublishes() {
        HistoryConfig h = HistoryConfig.DEFAULT;
        Node a = node(cluster(h), h);
        Node b = node(cluster(h), h);
        Received onA = new Received();
        Received onB = new Received();
        a.subscribe("room:shared", onA, null).join();
        b.subscribe("room:shared", onB, null).join();
        int perNode = 300;
        List<CompletableFuture<Publication>> sent = new ArrayList<>();
        Thread ta = Thread.ofPlatform().start(() -> { for (int i = 0; i < perNode; i++) sent(sent, a.publish("room:shared", data(i))); });
        Thread tb = Thread.ofPlatform().start(() -> { for (int i = 0; i < perNode; i++) sent(sent, b.publish("room:shared", data(10_000 + i))); });
        join(ta);
        join(tb);
        synchronized (sent) {
            sent.forEach(CompletableFuture::join);
        }
        onA.awaitCount(2 * perNode);
        onB.awaitCount(2 * perNode);
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 2 * perNode; i++) expected.add(i);
        assertThat(onA.offsets()).isEqualTo(expected);
        assertThat(onB.offsets()).isEqualTo(expected);
        assertThat(onA.payloads()).isEqualTo(onB.payloads());
        assertThat(onA.payloads()).contains(data(0).toString(), data(10_000).toString());
    }

    @Test
    void aDurableSessionResumesOnAnotherNodeFromTheLog() {
        HistoryConfig h = HistoryConfig.DEFAULT;
        Node a = node(cluster(h), h);
        RedisCluster cb = cluster(h);
        Node b = node(cb, h);
        for (int i = 1; i <= 20; i++) a.publish("session:s1", data(i)).join();
        StreamPosition seen = new StreamPosition(12, cb.eventLog().epoch());
        Received r = new Received();
        Resume res = b.subscribe("session:s1", r, seen).join();
        assertThat(res.outcome()).isEqualTo(Resume.Outcome.RECOVERED);
        a.publish("session:s1", data(21)).join();
        r.awaitCount(9);
        assertThat(r.offsets()).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L);
        assertThat(b.durableHistory("session:s1", 18, 100).join()).extracting(Publication::offset).containsExactly(19L, 20L, 21L);
        assertThat(b.top("session:s1").join()).isEqualTo(new StreamPosition(21, cb.eventLog().epoch()));
    }

    @Test
    void whileRedisIsDownPublishingFailsClearlyAndTheNodeRecoversByItself() {
        HistoryConfig h = HistoryConfig.DEFAULT;
        RedisCluster ca = cluster(h);
        RedisCluster cb = cluster(h);
        Node a = node(ca, h);
        Node b = node(cb, h);
        List<String> interruptions = new ArrayList<>();
        cb.onInterruption(() -> { synchronized (interruptions) { interruptions.add("lost"); } });
        Received onB = new Received();
        b.subscribe("room:r", onB, null).join();
        b.subscribe("session:d", new Received(), null).join();
        Received durableOnB = new Received();
        b.subscribe("session:d", durableOnB, null).join();
        for (int i = 1; i <= 5; i++) a.publish("room:r", data(i)).join();
        for (int i = 1; i <= 5; i++) a.publish("session:d", data(i)).join();
        onB.awaitCount(5);
        durableOnB.awaitCount(5);

        REDIS.server().kill();
        Received.await(() -> !ca.ready() && !cb.ready(), "nodes not ready while Redis is down");
        assertThat(a.ready()).isFalse();
        assertThatThrownBy(() -> a.publish("room:r", data(99)).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(AgentWireException.class)
                .hasMessageContaining("127.0.0.1:" + REDIS.server().port())
                .satisfies(e -> assertThat(((AgentWireException) e).code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE));
        assertThatThrownBy(() -> a.publish("session:d", data(99)).join()).cause()
                .satisfies(e -> assertThat(((AgentWireException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        // readiness may turn false (the stall check) a moment before the lost fan-out connection is reported
        Received.await(() -> {
            synchronized (interruptions) {
                return !interruptions.isEmpty();
            }
        }, "the lost fan-out connection interrupts the node's subscriptions");

        REDIS.server().restart();
        Received.await(() -> ca.ready() && cb.ready(), "nodes ready again after Redis restarted");
        assertThat(ca.reconnects()).isGreaterThanOrEqualTo(2);
        // acknowledged durable events survived (appendfsync always); the stream goes on with the next offset
        Publication next = a.publish("session:d", data(6)).join();
        assertThat(next.offset()).isEqualTo(6);
        durableOnB.awaitCount(6);
        assertThat(durableOnB.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        Publication room = a.publish("room:r", data(6)).join();
        assertThat(room.offset()).isEqualTo(6);
        onB.awaitCount(6);
        assertThat(onB.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    private static void sent(List<CompletableFuture<Publication>> sent, CompletableFuture<Publication> f) {
        synchronized (sent) {
            sent.add(f);
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
