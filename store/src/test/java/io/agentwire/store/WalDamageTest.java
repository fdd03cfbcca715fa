package io.agentwire.store;

import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Publication;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 (8): a database whose {@code -wal} file was truncated, corrupted or removed after a crash opens with part
 * of its history gone. The store notices (its commit count is behind the {@code .commits} file) and starts a new
 * epoch, so an offset it assigns again never reaches a client under the epoch that client saw it with.
 *
 * <p>The "crash" is a copy of the files taken while the store is open (the WAL then holds the last commits, not yet
 * checkpointed into the main file), opened as another data directory.
 */
class WalDamageTest {
    @TempDir Path dir;

    private static final int COMMITS = 12;

    /**
     * Writes COMMITS single-event commits to session:a — the first ones checkpointed into the main file by a clean
     * close, the later ones only in the WAL — and copies the open store's files to {@code crashed}.
     */
    private String crashCopy(Path crashed) throws IOException {
        SqliteStoreConfig config = SqliteStoreConfig.defaults(dir.resolve("live"));
        try (SqliteStore store = SqliteStore.open(config)) {
            for (int i = 1; i <= 3; i++) store.eventLog().append("session:a", json("i", i)).join();
        }
        try (SqliteStore store = SqliteStore.open(config)) {
            for (int i = 4; i <= COMMITS; i++) store.eventLog().append("session:a", json("i", i)).join();
            Files.createDirectories(crashed);
            Path db = config.databaseFile();
            for (Path f : new Path[] {db, wal(db), CommitMark.fileOf(db)}) {
                Files.copy(f, crashed.resolve(f.getFileName()));
            }
            assertThat(Files.size(wal(db))).as("the commits are in the WAL").isGreaterThan(32);
            return store.epoch();
        }
    }

    private static Path wal(Path db) {
        return db.resolveSibling(db.getFileName() + "-wal");
    }

    private static Path databaseIn(Path dataDir) {
        return SqliteStoreConfig.defaults(dataDir).databaseFile();
    }

    @Test
    void anUndamagedCopyKeepsItsEpochAndContinuesTheStream() throws IOException {
        Path crashed = dir.resolve("crashed");
        String epoch = crashCopy(crashed);
        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(crashed))) {
            assertThat(store.epoch()).isEqualTo(epoch);
            Publication next = store.eventLog().append("session:a", json("i", 13)).join();
            assertThat(next.offset()).isEqualTo(COMMITS + 1);
            assertThat(next.epoch()).isEqualTo(epoch);
        }
        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(crashed))) {
            assertThat(store.epoch()).as("a clean reopen keeps it").isEqualTo(epoch);
        }
    }

    @Test
    void aTruncatedWalStartsANewEpoch() throws IOException {
        Path crashed = dir.resolve("crashed");
        String epoch = crashCopy(crashed);
        Path wal = wal(databaseIn(crashed));
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(f.length() / 2); // half of the frames: the later commits are gone
        }
        assertNewEpochAfterLoss(crashed, epoch);
    }

    @Test
    void aCorruptedWalStartsANewEpoch() throws IOException {
        Path crashed = dir.resolve("crashed");
        String epoch = crashCopy(crashed);
        Path wal = wal(databaseIn(crashed));
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            long at = f.length() / 3; // a frame in the middle: its checksum fails, SQLite ignores it and all after
            f.seek(at);
            byte[] junk = new byte[64];
            f.readFully(junk);
            for (int i = 0; i < junk.length; i++) junk[i] = (byte) ~junk[i];
            f.seek(at);
            f.write(junk);
        }
        assertNewEpochAfterLoss(crashed, epoch);
    }

    @Test
    void aMissingWalStartsANewEpoch() throws IOException {
        Path crashed = dir.resolve("crashed");
        String epoch = crashCopy(crashed);
        Files.delete(wal(databaseIn(crashed)));
        assertNewEpochAfterLoss(crashed, epoch);
    }

    private static void assertNewEpochAfterLoss(Path crashed, String epoch) {
        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(crashed))) {
            long kept = store.eventLog().top("session:a").offset();
            assertThat(kept).as("history was lost").isLessThan(COMMITS).isGreaterThanOrEqualTo(3);
            assertThat(store.epoch()).isNotEqualTo(epoch);
            Publication next = store.eventLog().append("session:a", json("i", "new")).join();
            assertThat(next.offset()).isEqualTo(kept + 1); // an offset a client may have seen before ...
            assertThat(next.epoch()).isNotEqualTo(epoch);  // ... but never under the epoch it saw it with
        }
        try (SqliteStore store = SqliteStore.open(SqliteStoreConfig.defaults(crashed))) {
            assertThat(store.epoch()).as("the new epoch stays").isNotEqualTo(epoch);
            assertThat(store.eventLog().append("session:a", json("i", "more")).join().epoch()).isEqualTo(store.epoch());
        }
    }
}
