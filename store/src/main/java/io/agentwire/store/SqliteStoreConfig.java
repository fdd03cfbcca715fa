package io.agentwire.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded SQLite store. Immutable and validated on construction; start from
 * {@link #defaults(Path)} and change single settings with the {@code with…} methods.
 *
 * @param dataDir         directory holding {@code agentwire.db} (created if missing)
 * @param synchronous     how hard a commit waits for the disk (see {@link Synchronous})
 * @param maxBatch        most appends written in one transaction (group commit), 1..100 000
 * @param maxPending      most appends waiting for the writer; beyond it appends fail fast, 1..10 000 000
 * @param busyTimeout     how long a connection waits for a lock held by another connection, 0..1 hour
 * @param readConnections size of the pool of read-only connections, 1..64
 */
public record SqliteStoreConfig(Path dataDir, Synchronous synchronous, int maxBatch, int maxPending,
                                Duration busyTimeout, int readConnections) {

    /** The database file's name inside {@link #dataDir()}. */
    public static final String FILE_NAME = "agentwire.db";

    /** SQLite's {@code PRAGMA synchronous}, in WAL mode. */
    public enum Synchronous {
        /** Every commit is fsynced before it is acknowledged: survives a process crash and a power loss. */
        FULL,
        /** Commits reach the OS before they are acknowledged, fsynced at checkpoints: survives a process crash,
         * a power loss may drop the last commits (never corrupts the database). */
        NORMAL
    }

    public SqliteStoreConfig {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(synchronous, "synchronous must not be null (FULL or NORMAL)");
        Objects.requireNonNull(busyTimeout, "busyTimeout must not be null");
        if (maxBatch < 1 || maxBatch > 100_000) {
            throw new IllegalArgumentException("maxBatch must be between 1 and 100000, was " + maxBatch);
        }
        if (maxPending < 1 || maxPending > 10_000_000) {
            throw new IllegalArgumentException("maxPending must be between 1 and 10000000, was " + maxPending);
        }
        if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("busyTimeout must be between 0 and 1 hour, was " + busyTimeout);
        }
        if (readConnections < 1 || readConnections > 64) {
            throw new IllegalArgumentException("readConnections must be between 1 and 64, was " + readConnections);
        }
    }

    /** FULL synchronous, batches of 4 096, 100 000 pending appends, 5 s busy timeout, 4 read connections. */
    public static SqliteStoreConfig defaults(Path dataDir) {
        return new SqliteStoreConfig(dataDir, Synchronous.FULL, 4096, 100_000, Duration.ofSeconds(5), 4);
    }

    /** The database file: {@code dataDir/agentwire.db}. */
    public Path databaseFile() {
        return dataDir.resolve(FILE_NAME);
    }

    public SqliteStoreConfig withSynchronous(Synchronous s) {
        return new SqliteStoreConfig(dataDir, s, maxBatch, maxPending, busyTimeout, readConnections);
    }

    public SqliteStoreConfig withMaxBatch(int n) {
        return new SqliteStoreConfig(dataDir, synchronous, n, maxPending, busyTimeout, readConnections);
    }

    public SqliteStoreConfig withMaxPending(int n) {
        return new SqliteStoreConfig(dataDir, synchronous, maxBatch, n, busyTimeout, readConnections);
    }

    public SqliteStoreConfig withBusyTimeout(Duration d) {
        return new SqliteStoreConfig(dataDir, synchronous, maxBatch, maxPending, d, readConnections);
    }

    public SqliteStoreConfig withReadConnections(int n) {
        return new SqliteStoreConfig(dataDir, synchronous, maxBatch, maxPending, busyTimeout, n);
    }
}
