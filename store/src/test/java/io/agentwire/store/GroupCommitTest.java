package io.agentwire.store;

import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    static final int THREADS = 8;
    static final int PER_THREAD = 2_000;
    static final int STREAMS = 3;

    @TempDir Path dir;

    @Test
    void concurrentAppendsAreContiguousInOrderAndGrouped() throws Exception {
        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(dir))) {
            EventLog log = store.eventLog();
            Fixtures.Gate gate = new Fixtures.Gate(); // holds the writer at its first commit
            log.onCommit(gate);

            CountDownLatch warmedUp = new CountDownLatch(THREADS);
            List<List<CompletableFuture<Publication>>> perThread = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<CompletableFuture<Publication>> mine = new ArrayList<>();
                perThread.add(mine);
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        mine.add(log.append("s" + ((id + i) % STREAMS), json("n", id * PER_THREAD + i)));
                        if (i == 100) warmedUp.countDown();
                    }
                }));
            }
            gate.awaitHeld();
            warmedUp.await(); // 800+ appends queue up behind the held writer, the rest race with the commits
            gate.open();
            for (Thread t : threads) t.join();

            Map<String, List<Long>> acked = new HashMap<>();
            for (List<CompletableFuture<Publication>> mine : perThread) {
                Map<String, Long> lastOfThisThread = new HashMap<>();
                for (CompletableFuture<Publication> f : mine) {
                    Publication p = f.join();
                    acked.computeIfAbsent(p.stream(), s -> new ArrayList<>()).add(p.offset());
                    Long last = lastOfThisThread.put(p.stream(), p.offset());
                    if (last != null) {
                        assertThat(p.offset()).as("one producer's appends keep their order").isGreaterThan(last);
                    }
                }
            }

            int total = THREADS * PER_THREAD;
            assertThat(acked.values().stream().mapToInt(List::size).sum()).isEqualTo(total);
            Map<String, List<Long>> committedOrder = new HashMap<>();
            synchronized (gate.seen) {
                assertThat(gate.seen).hasSize(total);
                for (Publication p : gate.seen) {
                    committedOrder.computeIfAbsent(p.stream(), s -> new ArrayList<>()).add(p.offset());
                }
            }
            for (String stream : acked.keySet()) {
                List<Long> expected = LongStream.rangeClosed(1, acked.get(stream).size()).boxed().toList();
                assertThat(acked.get(stream)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(committedOrder.get(stream)).as("onCommit order of " + stream)
                        .containsExactlyElementsOf(expected);
                assertThat(log.read(stream, 0, total)).extracting(Publication::offset)
                        .containsExactlyElementsOf(expected);
                assertThat(log.top(stream).offset()).isEqualTo(expected.size());
            }
            assertThat(store.committedBatches()).as("appends were grouped into fewer transactions")
                    .isLessThan(total)
                    .isGreaterThanOrEqualTo(total / SqliteStoreConfig.defaults(dir).maxBatch());
        }
    }
}
