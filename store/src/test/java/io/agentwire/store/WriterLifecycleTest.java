package io.agentwire.store;

import static io.agentwire.store.Fixtures.failure;
import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Back-pressure (a full queue fails fast) and shutdown (close drains, then refuses). */
class WriterLifecycleTest {
    @TempDir Path dir;

    @Test
    void aFullQueueFailsTheAppendAtOnceWithoutBlocking() {
        int maxPending = 4;
        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(dir).withMaxPending(maxPending))) {
            EventLog log = store.eventLog();
            Fixtures.Gate gate = new Fixtures.Gate();
            log.onCommit(gate);
            CompletableFuture<Publication> first = log.append("s", json("n", 1));
            gate.awaitHeld(); // the writer is busy: nothing leaves the queue

            List<CompletableFuture<Publication>> queued = new ArrayList<>();
            for (int i = 0; i < maxPending; i++) queued.add(log.append("s", json("n", i + 2)));
            CompletableFuture<Publication> rejected = log.append("s", json("n", 99));

            assertThat(rejected).as("failed before append returned").isDone();
            assertThat(failure(rejected, ErrorCode.STORE_UNAVAILABLE)).hasMessageContaining("queue full");
            assertThat(queued).noneMatch(CompletableFuture::isDone);

            gate.open();
            assertThat(first.join().offset()).isEqualTo(1);
            assertThat(queued).extracting(f -> f.join().offset()).containsExactly(2L, 3L, 4L, 5L);
            assertThat(log.append("s", json("n", 6)).join().offset()).as("the rejected one took no offset")
                    .isEqualTo(6);
        }
    }

    @Test
    void closeWritesThePendingAppendsAndThenRefusesNewOnes() throws Exception {
        SqliteStoreConfig config = SqliteStoreConfig.defaults(dir);
        SqliteStore store = SqliteStore.open(config);
        EventLog log = store.eventLog();
        Fixtures.Gate gate = new Fixtures.Gate();
        log.onCommit(gate);
        CompletableFuture<Publication> first = log.append("s", json("n", 1));
        gate.awaitHeld();
        List<CompletableFuture<Publication>> pending = new ArrayList<>();
        for (int i = 0; i < 50; i++) pending.add(log.append("s", json("n", i + 2)));

        Thread closer = Thread.ofPlatform().start(store::close);
        while (log.ready()) Thread.onSpinWait(); // close has begun: appends are refused from now on
        CompletableFuture<Publication> late = log.append("s", json("n", 99));
        assertThat(late).isDone();
        assertThat(failure(late, ErrorCode.STORE_UNAVAILABLE)).hasMessageContaining("closed");
        assertThat(pending).noneMatch(CompletableFuture::isDone);

        gate.open();
        closer.join();
        assertThat(first.join().offset()).isEqualTo(1);
        assertThat(pending).extracting(f -> f.join().offset()).hasSize(50).isSorted().startsWith(2L).endsWith(51L);
        assertThat(failure(log.append("s", json("n", 100)), ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> log.top("s")).isInstanceOf(AgentWireException.class)
                .extracting(e -> ((AgentWireException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        store.close(); // idempotent

        try (SqliteStore reopened = SqliteStore.open(config)) {
            assertThat(reopened.eventLog().top("s").offset()).isEqualTo(51);
        }
    }
}
