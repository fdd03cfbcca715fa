package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    private static ObjectNode data(long i) {
        return JsonNodeFactory.instance.objectNode().put("i", i);
    }

    private Node memoryNode(HistoryConfig history) {
        Node n = new Node(new MemoryBroker(history), null, new NodeConfig(history, 100_000, List.of("session:")));
        toClose.add(n);
        return n;
    }

    @Test
    void aLiveSubscriberReceivesOnlyWhatIsPublishedAfterItSubscribed() throws Exception {
        Node node = memoryNode(HistoryConfig.DEFAULT);
        node.publish("room:a", data(1)).join();
        Recorder r = new Recorder();
        Resume res = node.subscribe("room:a", r, null).join();
        assertThat(res.outcome()).isEqualTo(Resume.Outcome.LIVE);
        assertThat(res.top().offset()).isEqualTo(1);
        node.publish("room:a", data(2)).join();
        node.publish("room:b", data(99)).join();
        r.awaitCount(1);
        assertThat(r.offsets()).containsExactly(2L);
    }

    @Test
    void aTapSeesEveryStreamWithItsPrefixInOffsetOrderUntilClosed() throws Exception {
        MemoryEventLog log = new MemoryEventLog();
        Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT);
        toClose.add(node);
        Recorder sessions = new Recorder();
        AutoCloseable tap = node.tap("session:", sessions);
        node.publish("session:a", data(1)).join();
        node.publish("room:x", data(2)).join();
        node.publish("session:b", data(3)).join();
        node.publish("session:a", data(4)).join();
        sessions.awaitCount(3);
        assertThat(sessions.received).extracting(p -> p.stream() + "@" + p.offset())
                .containsExactly("session:a@1", "session:b@1", "session:a@2");
        tap.close();
        node.publish("session:a", data(5)).join();
        Thread.sleep(50);
        assertThat(sessions.received).hasSize(3);
    }

    @Test
    void fanOutEncodesOncePerWireFormatWhateverTheSubscriberCount() throws Exception {
        Node node = memoryNode(HistoryConfig.DEFAULT);
        AtomicInteger jsonEncodings = new AtomicInteger();
        AtomicInteger otherEncodings = new AtomicInteger();
        WireFormat<byte[]> json = p -> { jsonEncodings.incrementAndGet(); return p.data().toString().getBytes(); };
        WireFormat<String> other = p -> { otherEncodings.incrementAndGet(); return "x" + p.offset(); };
        AtomicInteger delivered = new AtomicInteger();
        for (int i = 0; i < 1_000; i++) {
            WireFormat<?> f = i % 2 == 0 ? json : other;
            node.subscribe("room:big", p -> { p.encoded(f); delivered.incrementAndGet(); }, null).join();
        }
        for (int i = 0; i < 10; i++) node.publish("room:big", data(i)).join();
        assertThat(delivered.get()).isEqualTo(10_000);
        assertThat(jsonEncodings.get()).isEqualTo(10);
        assertThat(otherEncodings.get()).isEqualTo(10);
    }

    @Test
    void resumeWithinTheWindowReplaysExactlyTheMissedOnesThenLive() throws Exception {
        Node node = memoryNode(HistoryConfig.DEFAULT);
        Recorder first = new Recorder();
        Resume r1 = node.subscribe("room:a", first, null).join();
        for (int i = 1; i <= 3; i++) node.publish("room:a", data(i)).join();
        r1.subscription().close();
        StreamPosition seen = first.received.get(2).position();
        for (int i = 4; i <= 6; i++) node.publish("room:a", data(i)).join();
        Recorder second = new Recorder();
        Resume r2 = node.subscribe("room:a", second, seen).join();
        assertThat(r2.outcome()).isEqualTo(Resume.Outcome.RECOVERED);
        assertThat(r2.source()).isEqualTo(Resume.Source.WINDOW);
        assertThat(r2.replayed()).isEqualTo(3);
        node.publish("room:a", data(7)).join();
        second.awaitCount(4);
        assertThat(second.offsets()).containsExactly(4L, 5L, 6L, 7L);
    }

    @Test
    void resumeBeyondTheWindowIsAnExplicitNotRecoveredAndGoesLiveAtTheTop() throws Exception {
        Node node = memoryNode(new HistoryConfig(3, Duration.ofMinutes(1), Duration.ofMinutes(5)));
        Publication p1 = node.publish("room:a", data(1)).join();
        for (int i = 2; i <= 10; i++) node.publish("room:a", data(i)).join();
        Recorder r = new Recorder();
        Resume res = node.subscribe("room:a", r, p1.position()).join();
        assertThat(res.outcome()).isEqualTo(Resume.Outcome.NOT_RECOVERED);
        assertThat(res.gap()).isEqualTo(History.Gap.EVICTED);
        assertThat(res.top().offset()).isEqualTo(10);
        assertThat(r.received).isEmpty();
        node.publish("room:a", data(11)).join();
        r.awaitCount(1);
        assertThat(r.offsets()).containsExactly(11L);
    }

    @Test
    void twoHundredHandOversWhilePublishingLoseAndRepeatNothing() throws Exception {
        handOverStress(memoryNode(HistoryConfig.DEFAULT), "room:stress");
    }

    @Test
    void twoHundredHandOversOnADurableStreamLoseAndRepeatNothing() throws Exception {
        MemoryEventLog log = new MemoryEventLog();
        Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT);
        toClose.add(node);
        handOverStress(node, "session:stress");
    }

    @Test
    void handOversStayExactWhenHistoryTakesARoundTripAsARemoteBrokerWould() throws Exception {
        MemoryBroker inner = new MemoryBroker(HistoryConfig.DEFAULT);
        Broker remote = new ForwardingBroker(inner) {
            @Override
            public java.util.concurrent.CompletableFuture<History> history(String s, StreamPosition since, int limit) {
                // read now, answer a little later: publications made meanwhile must come from the live buffer
                History h = inner.history(s, since, limit).join();
                return java.util.concurrent.CompletableFuture.supplyAsync(() -> h,
                        java.util.concurrent.CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MICROSECONDS));
            }
        };
        Node node = new Node(remote, null, NodeConfig.DEFAULT);
        toClose.add(node);
        handOverStress(node, "room:remote");
    }

    /**
     * One publisher publishes without pause; one client subscribes, takes a few events, drops, and resumes from the
     * last event it saw, 250 times. Everything it saw, joined, must be 1..N with no gap and no duplicate.
     */
    private void handOverStress(Node node, String stream) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong published = new AtomicLong();
        AtomicLong clientSeen = new AtomicLong();
        Thread publisher = Thread.ofPlatform().start(() -> {
            long i = 0;
            while (!stop.get()) {
                if (i - clientSeen.get() > 2_000) { // never run far ahead of the client: stay inside the window
                    Thread.onSpinWait();
                    continue;
                }
                node.publish(stream, data(++i)).join();
                published.set(i);
            }
        });
        try {
            List<Long> seen = new ArrayList<>();
            StreamPosition position = new StreamPosition(0, "");
            long replayed = 0;
            for (int round = 0; round < 250; round++) {
                Recorder r = new Recorder();
                Resume res = node.subscribe(stream, r, position).join();
                assertThat(res.outcome()).as("round %d", round).isEqualTo(Resume.Outcome.RECOVERED);
                replayed += res.replayed();
                long wantAtLeast = published.get() + 3;
                awaitUntil(() -> {
                    clientSeen.set(r.last());
                    return r.last() >= wantAtLeast;
                }, "round " + round + " live delivery reaching " + wantAtLeast);
                res.subscription().close();
                int size = r.received.size();
                for (Publication p : r.received.subList(0, size)) seen.add(p.offset());
                if (size > 0) position = r.received.get(size - 1).position();
                clientSeen.set(position.offset());
                // stay away while a few more are published, so every resume has something to replay
                long missedUntil = position.offset() + 2;
                awaitUntil(() -> published.get() >= missedUntil, "publisher progress");
            }
            stop.set(true);
            publisher.join();
            Recorder last = new Recorder();
            Resume tail = node.subscribe(stream, last, position).join();
            assertThat(tail.outcome()).isEqualTo(Resume.Outcome.RECOVERED);
            for (Publication p : last.received) seen.add(p.offset());
            assertThat(replayed).as("events published while disconnected were replayed").isGreaterThanOrEqualTo(2 * 250);
            assertThat(seen).hasSize((int) published.get());
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).as("position %d", i).isEqualTo(i + 1L);
            }
        } finally {
            stop.set(true);
            publisher.join();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L; // a failure guard, not a performance assertion
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }

    @Test
    void afterARestartTheDurableLogServesTheResumeAndOffsetsContinue() throws Exception {
        MemoryEventLog log = new MemoryEventLog();
        toClose.add(log);
        Node before = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT);
        Recorder r = new Recorder();
        before.subscribe("session:s1", r, null).join();
        for (int i = 1; i <= 5; i++) before.publish("session:s1", data(i)).join();
        r.awaitCount(5);
        StreamPosition seen = r.received.get(1).position(); // the client saw 1 and 2
        before.broker().close();

        Node after = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT); // fresh memory
        Recorder resumed = new Recorder();
        Resume res = after.subscribe("session:s1", resumed, seen).join();
        assertThat(res.outcome()).isEqualTo(Resume.Outcome.RECOVERED);
        assertThat(res.source()).isEqualTo(Resume.Source.LOG);
        Publication next = after.publish("session:s1", data(6)).join();
        assertThat(next.offset()).isEqualTo(6);
        resumed.awaitCount(4);
        assertThat(resumed.offsets()).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void afterARestartAClientThatSawNothingGetsTheWholeDurableStream() throws Exception {
        MemoryEventLog log = new MemoryEventLog();
        toClose.add(log);
        Node before = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT);
        for (int i = 1; i <= 3; i++) before.publish("session:s3", data(i)).join();
        before.broker().close();
        Node after = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT);
        Recorder r = new Recorder();
        Resume res = after.subscribe("session:s3", r, new StreamPosition(0, "")).join();
        assertThat(res.outcome()).isEqualTo(Resume.Outcome.RECOVERED);
        assertThat(res.source()).isEqualTo(Resume.Source.LOG);
        assertThat(r.offsets()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPositionBeyondTheDurableTopIsNotRecoveredRatherThanSkippingEvents() throws Exception {
        MemoryEventLog log = new MemoryEventLog();
        Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), log, NodeConfig.DEFAULT);
        toClose.add(node);
        for (int i = 1; i <= 3; i++) node.publish("session:s2", data(i)).join();
        Recorder r = new Recorder();
        Resume res = node.subscribe("session:s2", r, new StreamPosition(50, log.epoch())).join();
        assertThat(res.outcome()).isEqualTo(Resume.Outcome.NOT_RECOVERED);
        node.publish("session:s2", data(4)).join();
        r.awaitCount(1);
        assertThat(r.offsets()).containsExactly(4L);
    }

    @Test
    void aLiveGapIsFilledFromHistory() throws Exception {
        MemoryBroker inner = new MemoryBroker(HistoryConfig.DEFAULT);
        AtomicBoolean dropFifth = new AtomicBoolean(true);
        Broker lossy = new ForwardingBroker(inner) {
            @Override
            public void onDelivery(java.util.function.Consumer<Publication> d) {
                inner.onDelivery(p -> {
                    if (p.offset() == 5 && dropFifth.getAndSet(false)) return; // lost on the way, as pub/sub may
                    d.accept(p);
                });
            }
        };
        Node node = new Node(lossy, null, NodeConfig.DEFAULT);
        toClose.add(node);
        Recorder r = new Recorder();
        node.subscribe("room:g", r, null).join();
        for (int i = 1; i <= 10; i++) node.publish("room:g", data(i)).join();
        r.awaitCount(10);
        assertThat(r.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aSubscriptionThatBuffersTooMuchWhileRecoveringEndsWithSlowConsumer() throws Exception {
        MemoryBroker inner = new MemoryBroker(HistoryConfig.DEFAULT);
        java.util.concurrent.CompletableFuture<History> gate = new java.util.concurrent.CompletableFuture<>();
        Broker slowHistory = new ForwardingBroker(inner) {
            @Override
            public java.util.concurrent.CompletableFuture<History> history(String s, StreamPosition since, int limit) {
                return gate.thenCompose(x -> inner.history(s, since, limit));
            }
        };
        Node node = new Node(slowHistory, null, new NodeConfig(HistoryConfig.DEFAULT, 5, List.of()));
        toClose.add(node);
        Publication p1 = node.publish("room:b", data(1)).join();
        Recorder r = new Recorder();
        var pending = node.subscribe("room:b", r, p1.position());
        for (int i = 2; i <= 10; i++) node.publish("room:b", data(i)).join();
        assertThat(r.terminated).isEqualTo(ErrorCode.SLOW_CONSUMER);
        gate.complete(null);
        // The subscribe future fails with the reason instead of reporting a closed subscription as recovered.
        assertThatThrownBy(pending::join).hasCauseInstanceOf(AgentWireException.class)
                .cause().satisfies(e -> assertThat(((AgentWireException) e).code()).isEqualTo(ErrorCode.SLOW_CONSUMER));
        assertThat(r.received).isEmpty();
        assertThat(node.localSubscribers("room:b")).isZero();
    }

    @Test
    void anIdleStreamWithASubscriberKeepsItsEpochSoTheSubscriberStaysLive() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        HistoryConfig history = new HistoryConfig(100, Duration.ofSeconds(10), Duration.ofSeconds(20));
        MemoryBroker broker = new MemoryBroker(history, clock::get, false);
        Node node = new Node(broker, null, new NodeConfig(history, 1_000, List.of()));
        toClose.add(node);
        Recorder kept = new Recorder();
        node.subscribe("room:quiet", kept, null).join();
        node.subscribe("room:unwatched", new Recorder(), null).join().subscription().close();
        Publication first = node.publish("room:quiet", data(1)).join();
        node.publish("room:unwatched", data(1)).join();
        clock.addAndGet(60_000); // past the window's age and the idle timeout
        broker.sweep();
        assertThat(broker.streamCount()).isEqualTo(1); // only the stream nobody listens to is forgotten
        Publication second = node.publish("room:quiet", data(2)).join();
        assertThat(second.epoch()).isEqualTo(first.epoch());
        assertThat(second.offset()).isEqualTo(2);
        kept.awaitCount(2);
        assertThat(kept.offsets()).containsExactly(1L, 2L);
        assertThat(kept.terminated).isNull();
    }
}
