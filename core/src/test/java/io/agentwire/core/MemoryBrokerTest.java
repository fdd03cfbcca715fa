package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    private MemoryBroker broker(int size, Duration ttl) {
        return new MemoryBroker(new HistoryConfig(size, ttl, ttl.multipliedBy(2)), now::get, false);
    }

    private static ObjectNode data(int i) {
        return JsonNodeFactory.instance.objectNode().put("i", i);
    }

    @Test
    void offsetsRiseByOneAndDeliveryFollowsOffsetOrderUnderConcurrentPublishers() throws Exception {
        MemoryBroker b = broker(100_000, Duration.ofMinutes(1));
        Map<String, List<Long>> delivered = new ConcurrentHashMap<>();
        b.onDelivery(p -> delivered.computeIfAbsent(p.stream(), k -> new CopyOnWriteArrayList<>()).add(p.offset()));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) b.publish("s" + (i % 3), data(id * 10_000 + i)).join();
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(delivered).hasSize(3);
        for (List<Long> offsets : delivered.values()) {
            for (int i = 0; i < offsets.size(); i++) assertThat(offsets.get(i)).isEqualTo(i + 1L);
        }
        assertThat(delivered.values().stream().mapToInt(List::size).sum()).isEqualTo(16_000);
    }

    @Test
    void historyReturnsExactlyWhatFollowsThePosition() {
        MemoryBroker b = broker(100, Duration.ofMinutes(1));
        for (int i = 1; i <= 10; i++) b.publish("s", data(i));
        StreamPosition top = b.top("s").join();
        History h = b.history("s", new StreamPosition(4, top.epoch()), 100).join();
        assertThat(h.complete()).isTrue();
        assertThat(h.publications()).extracting(Publication::offset).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(h.top()).isEqualTo(new StreamPosition(10, top.epoch()));
        History atTop = b.history("s", top, 100).join();
        assertThat(atTop.complete()).isTrue();
        assertThat(atTop.publications()).isEmpty();
        History fromStart = b.history("s", new StreamPosition(0, ""), 100).join();
        assertThat(fromStart.publications()).hasSize(10);
    }

    /** The window keeps every publication of a stream with one instance of its name, whatever strings callers used. */
    @Test
    void publicationsOfAStreamShareOneInstanceOfItsName() {
        MemoryBroker b = broker(100, Duration.ofMinutes(1));
        String first = new String("session:abc");
        String second = new String("session:abc");
        Publication p1 = b.publish(first, data(1)).join();
        Publication p2 = b.publish(second, data(2)).join();
        assertThat(p2.stream()).isEqualTo("session:abc").isSameAs(p1.stream()).isSameAs(first);
    }

    @Test
    void windowIsBoundedByCount() {
        MemoryBroker b = broker(5, Duration.ofMinutes(1));
        for (int i = 1; i <= 10; i++) b.publish("s", data(i));
        String epoch = b.top("s").join().epoch();
        assertThat(b.history("s", new StreamPosition(5, epoch), 100).join().publications())
                .extracting(Publication::offset).containsExactly(6L, 7L, 8L, 9L, 10L);
        History evicted = b.history("s", new StreamPosition(4, epoch), 100).join();
        assertThat(evicted.complete()).isFalse();
        assertThat(evicted.reason()).isEqualTo(History.Gap.EVICTED);
        assertThat(evicted.publications()).isEmpty();
    }

    @Test
    void windowIsBoundedByAge() {
        MemoryBroker b = broker(100, Duration.ofSeconds(60));
        b.publish("s", data(1));
        b.publish("s", data(2));
        now.addAndGet(30_000);
        b.publish("s", data(3));
        now.addAndGet(31_000); // 1 and 2 are now 61 s old, 3 is 31 s old
        String epoch = b.top("s").join().epoch();
        assertThat(b.history("s", new StreamPosition(2, epoch), 100).join().publications())
                .extracting(Publication::offset).containsExactly(3L);
        assertThat(b.history("s", new StreamPosition(1, epoch), 100).join().reason()).isEqualTo(History.Gap.EVICTED);
        now.addAndGet(60_000);
        // everything aged out: a client at the top is still complete, one behind is not
        assertThat(b.history("s", new StreamPosition(3, epoch), 100).join().complete()).isTrue();
        assertThat(b.history("s", new StreamPosition(2, epoch), 100).join().complete()).isFalse();
    }

    @Test
    void aPositionFromAnotherEpochOrBeyondTheTopIsNotRecovered() {
        MemoryBroker b = broker(100, Duration.ofMinutes(1));
        for (int i = 1; i <= 3; i++) b.publish("s", data(i));
        String epoch = b.top("s").join().epoch();
        assertThat(b.history("s", new StreamPosition(2, "other"), 100).join().reason()).isEqualTo(History.Gap.EPOCH_CHANGED);
        assertThat(b.history("s", new StreamPosition(9, epoch), 100).join().complete()).isFalse();
    }

    @Test
    void moreThanTheLimitIsReportedNotTruncated() {
        MemoryBroker b = broker(100, Duration.ofMinutes(1));
        for (int i = 1; i <= 10; i++) b.publish("s", data(i));
        History h = b.history("s", new StreamPosition(0, ""), 5).join();
        assertThat(h.complete()).isFalse();
        assertThat(h.reason()).isEqualTo(History.Gap.LIMIT);
    }

    @Test
    void appendKeepsTheLogsOffsetsAndEpochAndRestartsTheWindowAfterAJump() {
        MemoryBroker b = broker(100, Duration.ofMinutes(1));
        List<Long> delivered = new CopyOnWriteArrayList<>();
        b.onDelivery(p -> delivered.add(p.offset()));
        b.append(new Publication("session:x", 41, "logepoch", now.get(), data(41)));
        b.append(new Publication("session:x", 42, "logepoch", now.get(), data(42)));
        assertThat(b.top("session:x").join()).isEqualTo(new StreamPosition(42, "logepoch"));
        assertThat(b.history("session:x", new StreamPosition(41, "logepoch"), 10).join().publications())
                .extracting(Publication::offset).containsExactly(42L);
        // 40 and before were never in this window (e.g. before a restart): the broker says so
        assertThat(b.history("session:x", new StreamPosition(39, "logepoch"), 10).join().reason()).isEqualTo(History.Gap.EVICTED);
        assertThat(delivered).containsExactly(41L, 42L);
    }

    @Test
    void idleStreamsAreForgottenAndComeBackWithANewEpoch() {
        MemoryBroker b = broker(100, Duration.ofSeconds(10));
        b.publish("s", data(1));
        String epoch = b.top("s").join().epoch();
        now.addAndGet(25_000);
        b.sweep();
        assertThat(b.streamCount()).isZero();
        Publication p = b.publish("s", data(2)).join();
        assertThat(p.offset()).isEqualTo(1);
        assertThat(p.epoch()).isNotEqualTo(epoch);
        assertThat(b.history("s", new StreamPosition(1, epoch), 10).join().reason()).isEqualTo(History.Gap.EPOCH_CHANGED);
    }
}
