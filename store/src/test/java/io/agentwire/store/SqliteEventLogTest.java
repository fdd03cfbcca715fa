package io.agentwire.store;

import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventLogTest {
    @TempDir Path dir;
    SqliteStore store;
    EventLog log;

    @BeforeEach
    void open() {
        store = SqliteStore.open(SqliteStoreConfig.defaults(dir.resolve("data")));
        log = store.eventLog();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appendReadTopRoundTrip() {
        assertThat(log.top("session:a")).isEqualTo(new StreamPosition(0, log.epoch()));
        assertThat(log.read("session:a", 0, 10)).isEmpty();

        long before = System.currentTimeMillis();
        List<Publication> appended = new ArrayList<>();
        for (int i = 0; i < 5; i++) appended.add(log.append("session:a", json("i", i)).join());

        assertThat(appended).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(appended).allSatisfy(p -> {
            assertThat(p.stream()).isEqualTo("session:a");
            assertThat(p.epoch()).isEqualTo(log.epoch()).isEqualTo(store.epoch());
            assertThat(p.timeMillis()).isGreaterThanOrEqualTo(before);
        });
        assertThat(log.top("session:a")).isEqualTo(new StreamPosition(5, log.epoch()));

        List<Publication> read = log.read("session:a", 0, 100);
        assertThat(read).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(read.get(i).offset()).isEqualTo(i + 1);
            assertThat(read.get(i).data()).isEqualTo(json("i", i));
            assertThat(read.get(i).timeMillis()).isEqualTo(appended.get(i).timeMillis());
            assertThat(read.get(i).epoch()).isEqualTo(log.epoch());
        }
    }

    @Test
    void readStartsAfterTheOffsetAndStopsAtTheLimit() {
        for (int i = 0; i < 10; i++) log.append("s", json("i", i)).join();

        assertThat(log.read("s", 3, 4)).extracting(Publication::offset).containsExactly(4L, 5L, 6L, 7L);
        assertThat(log.read("s", 8, 100)).extracting(Publication::offset).containsExactly(9L, 10L);
        assertThat(log.read("s", 10, 100)).isEmpty();
        assertThatThrownBy(() -> log.read("s", -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.read("s", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamsHaveIndependentContiguousOffsets() {
        for (int i = 0; i < 30; i++) {
            String stream = "session:" + (i % 3);
            assertThat(log.append(stream, json("i", i)).join().offset()).isEqualTo(i / 3 + 1);
        }
        for (int s = 0; s < 3; s++) {
            assertThat(log.read("session:" + s, 0, 100)).extracting(Publication::offset)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
            assertThat(log.top("session:" + s).offset()).isEqualTo(10);
        }
        assertThat(log.top("session:other").offset()).isZero();
    }

    @Test
    void storesNestedJsonPayloadsUnchanged() {
        var data = Fixtures.obj();
        data.put("text", "héllo \"quoted\" \u2603");
        data.putArray("list").add(1).add(2.5).add(true).addNull();
        data.putObject("nested").put("k", "v");

        log.append("s", data).join();

        assertThat(log.read("s", 0, 1).getFirst().data()).isEqualTo(data);
    }

    @Test
    void onCommitSeesEachPublicationBeforeItsFutureCompletes() {
        List<Publication> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        log.onCommit(seen::add);

        List<Boolean> seenWhenCompleted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seenWhenCompleted.add(log.append("s", json("i", i)).thenApply(seen::contains).join());
        }

        assertThat(seen).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
        assertThat(seenWhenCompleted).containsOnly(true);
    }
}
