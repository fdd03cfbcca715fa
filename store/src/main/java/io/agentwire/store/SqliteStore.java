package io.agentwire.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite database ({@code dataDir/agentwire.db}, WAL journal) holding durable stream
 * history ({@link #eventLog()}) and session records ({@link #sessions()}). Opening creates the directory and the
 * file if missing and migrates the schema. One process at a time may open a data directory.
 *
 * <p>Writes go through one connection: appends are group-committed by a dedicated writer thread, session
 * writes take their turn on the same connection. Reads use a small pool of read-only connections.
 * Thread-safe. Close the store (not only its event log) to release the file.
 */
public final class SqliteStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    /** Streams whose last offset the writer keeps in memory (others are read from the database on use). */
    private static final int CACHED_STREAMS = 65_536;

    private final Path file;
    private final String epoch;
    private final SqliteEventLog eventLog;
    private final SqliteSessionStore sessions;
    private final ReadPool reads;
    private final List<AutoCloseable> resources; // closed in reverse order
    private boolean closed;

    private SqliteStore(Path file, String epoch, SqliteEventLog eventLog, SqliteSessionStore sessions,
                        ReadPool reads, List<AutoCloseable> resources) {
        this.reads = reads;
        this.file = file;
        this.epoch = epoch;
        this.eventLog = eventLog;
        this.sessions = sessions;
        this.resources = resources;
    }

    /**
     * Opens (creating and migrating if needed) the store described by {@code config}.
     *
     * @throws AgentWireException {@link ErrorCode#STORE_UNAVAILABLE} if the database can not be opened
     */
    public static SqliteStore open(SqliteStoreConfig config) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(config.dataDir());
            opened.add(DirectoryLock.acquire(config.dataDir()));
            ConnectionFactory factory = new ConnectionFactory(config);
            Migrations.migrate(factory.dataSource());
            WriteConnection write = new WriteConnection(factory.openWrite());
            opened.add(write);
            String[] facts = write.transaction(c -> new String[] {
                Meta.epoch(c), Meta.pragma(c, "journal_mode"), Meta.synchronousName(Meta.pragma(c, "synchronous"))});
            facts[0] = checkCommits(write, factory.file(), facts[0]);
            CommitMark mark = CommitMark.open(factory.file(), facts[0], write.transaction(CommitMark::commits));
            opened.add(mark);
            ReadPool reads = new ReadPool(factory, config.readConnections());
            opened.add(reads);
            // the store's JSON is read and written on virtual threads (Blocking) as well as event loops: Jackson's
            // default buffer recycler is one per thread, so every virtual thread made its own (a 4 KB char buffer, a
            // soft reference, a thread-local map) and held it while it waited for SQLite; young collections promoted
            // it (≈ 100 MB of garbage in the old generation for 19 000 sessions created: bench/README.md). One shared
            // pool instead.
            ObjectMapper json = new ObjectMapper(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
            StreamTops tops = new StreamTops(CACHED_STREAMS);
            GroupCommitWriter writer = new GroupCommitWriter(write, tops, facts[0], config.maxBatch(),
                    config.maxPending(), mark);
            opened.add(writer);
            log.info("store open: {} (epoch {}, journal_mode {}, synchronous {}, maxBatch {}, maxPending {})",
                    factory.file(), facts[0], facts[1], facts[2], config.maxBatch(), config.maxPending());
            return new SqliteStore(factory.file(), facts[0], new SqliteEventLog(writer, reads, json, facts[0]),
                    new SqliteSessionStore(write, reads, tops, json), reads, opened);
        } catch (Exception e) {
            closeAll(opened, e);
            throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE,
                    "can not open the store in " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The epoch to serve: the database's, or a new one when the database lost commits it had acknowledged (see
     * {@link CommitMark}), so that offsets assigned again are never taken for ones a client already saw.
     */
    private static String checkCommits(WriteConnection write, Path file, String epoch) throws java.sql.SQLException {
        CommitMark.Seen seen = CommitMark.read(file);
        long counted = write.transaction(CommitMark::commits);
        if (seen == null || !seen.epoch().equals(epoch) || seen.commits() <= counted) return epoch;
        String fresh = write.transaction(Meta::newEpoch);
        log.error("store {}: {} committed transactions of appends are missing (the database counts {}, {} says {}): "
                + "its -wal file was truncated, corrupted or removed, or the file was put back from an older copy. "
                + "Streams start a new epoch {} (was {}): clients resuming from before get 'not recovered' and "
                + "never take new events for ones they saw. See docs/store.md.", file, seen.commits() - counted,
                counted, CommitMark.fileOf(file).getFileName(), seen.commits(), fresh, epoch);
        return fresh;
    }

    /**
     * Runs that a previous process left unfinished: a session event with {@code metadata.run_id} and no
     * {@code pipeline.completed} for that run, in sessions that have not expired. The server ends them at start-up
     * (see {@code AgentRuntime.endInterrupted}). Scans the stored events once: run it at start-up only. Blocking.
     */
    public List<UnfinishedRun> unfinishedRuns() {
        return reads.read(UnfinishedRun::query);
    }

    /** Durable history of streams; offsets and the epoch are assigned by this log. */
    public EventLog eventLog() {
        return eventLog;
    }

    /** Durable session records; deleting a session also deletes its stream's history. */
    public SessionStore sessions() {
        return sessions;
    }

    /** The database's epoch (also {@code eventLog().epoch()}): stable across restarts, new for a new file. */
    public String epoch() {
        return epoch;
    }

    public Path databaseFile() {
        return file;
    }

    /** Transactions of appends committed since open; with {@code appends / batches} it gives the batch size. */
    public long committedBatches() {
        return eventLog.committedBatches();
    }

    /** Writes every pending append, then closes the database. Later appends and reads fail. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closeAll(resources, null);
        log.info("store closed: {}", file);
    }

    private static void closeAll(List<AutoCloseable> resources, Exception failure) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure != null) failure.addSuppressed(e);
                else log.warn("closing the store: {}", e.toString());
            }
        }
    }
}
