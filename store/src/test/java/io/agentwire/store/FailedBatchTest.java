package io.agentwire.store;

import static io.agentwire.store.Fixtures.failure;
import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch whose transaction fails stores nothing, assigns nothing, and leaves no gap. */
class FailedBatchTest {
    @TempDir Path dir;

    @Test
    void aFailedBatchFailsItsAppendsAndTheNextAppendTakesTheNextOffset() throws Exception {
        SqliteStoreConfig config = SqliteStoreConfig.defaults(dir);
        try (SqliteStore store = SqliteStore.open(config)) {
            EventLog log = store.eventLog();
            log.append("a", json("n", 1)).join();
            log.append("a", json("n", 2)).join();
            // a real failure inside SQLite: a trigger that aborts the insert of a marked payload
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.databaseFile());
                 Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("CREATE TRIGGER poison BEFORE INSERT ON events "
                        + "WHEN json_extract(NEW.data, '$.poison') IS NOT NULL "
                        + "BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
            }

            Fixtures.Gate gate = new Fixtures.Gate();
            log.onCommit(gate);
            log.append("warm-up", json("n", 0)); // its commit holds the writer in the gate
            gate.awaitHeld();
            CompletableFuture<Publication> good = log.append("a", json("n", 3));
            CompletableFuture<Publication> poisoned = log.append("a", json("poison", true));
            CompletableFuture<Publication> other = log.append("b", json("n", 1));
            gate.open(); // the three queued appends become one batch, which fails as a whole

            for (CompletableFuture<Publication> f : java.util.List.of(good, poisoned, other)) {
                assertThat(f).failsWithin(java.time.Duration.ofSeconds(30));
                AgentWireException e = failure(f, ErrorCode.STORE_UNAVAILABLE);
                assertThat(e).hasMessageContaining("poisoned");
            }
            assertThat(log.ready()).as("not ready after a failed write").isFalse();
            assertThat(log.top("a").offset()).isEqualTo(2);
            assertThat(log.top("b").offset()).isZero();

            assertThat(log.append("a", json("n", 3)).join().offset()).isEqualTo(3);
            assertThat(log.append("b", json("n", 1)).join().offset()).isEqualTo(1);
            assertThat(log.ready()).isTrue();
            assertThat(log.read("a", 0, 10)).extracting(p -> p.data().get("n").asInt()).containsExactly(1, 2, 3);
            assertThat(log.read("a", 0, 10)).extracting(Publication::offset).containsExactly(1L, 2L, 3L);
            assertThat(gate.seen).extracting(Publication::stream).containsExactly("warm-up", "a", "b");
        }
    }
}
