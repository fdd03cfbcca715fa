package io.agentwire.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Detects a database that lost committed transactions — a truncated, corrupted or deleted {@code -wal} file, or a
 * main file put back from an older copy — which SQLite itself opens silently with part of the history gone.
 *
 * <p>Every transaction of appends raises a counter in the database ({@code meta.commits}, in that transaction) and,
 * once committed, writes the same number to a small file beside it ({@code agentwire.db.commits}, no fsync: it
 * survives a process crash, and after a power loss it can only be behind, never ahead). At open, a file that is
 * ahead of the database, for the same epoch, means commits the database acknowledged are gone: offsets would be
 * assigned again under the same epoch, and a client that saw them would drop the new events as duplicates. The
 * store then starts a new epoch (see {@link SqliteStore#open}), so every resume from before gets an explicit "not
 * recovered" instead.
 */
final class CommitMark implements AutoCloseable {
    static final String FILE_SUFFIX = ".commits";
    private static final String READ = "SELECT value FROM meta WHERE key = 'commits'";
    private static final String WRITE = "INSERT OR REPLACE INTO meta (key, value) VALUES ('commits', ?)";
    private static final int SIZE = 96;

    /** What the file said at open: the epoch and commit count it last saw, or null if there was none. */
    record Seen(String epoch, long commits) { }

    private final FileChannel channel;
    private final String epoch;
    private long commits;

    private CommitMark(FileChannel channel, String epoch, long commits) {
        this.channel = channel;
        this.epoch = epoch;
        this.commits = commits;
    }

    static Path fileOf(Path database) {
        return database.resolveSibling(database.getFileName() + FILE_SUFFIX);
    }

    /** The file's last record, or null if it is missing or unreadable (then nothing can be checked). */
    static Seen read(Path database) {
        try {
            String[] f = Files.readString(fileOf(database), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f.length == 4 && f[0].equals("epoch") && f[2].equals("commits") ? new Seen(f[1], Long.parseLong(f[3])) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The database's commit counter (0 for a database that never counted). */
    static long commits(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
        }
    }

    /** Opens the file for {@code epoch} at {@code commits} (the database's count) and writes it. */
    static CommitMark open(Path database, String epoch, long commits) throws IOException {
        FileChannel ch = FileChannel.open(fileOf(database), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        CommitMark m = new CommitMark(ch, epoch, commits);
        m.write(commits);
        ch.force(true);
        return m;
    }

    /** Inside the writer's transaction: counts it in the database. Writer thread only. */
    void count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(WRITE)) {
            ps.setString(1, Long.toString(commits + 1));
            ps.executeUpdate();
        }
    }

    /** After the commit: the file follows the database. Writer thread only. */
    void committed() {
        commits++;
        try {
            write(commits);
        } catch (IOException e) {
            // behind is safe (never a false alarm); only the check at the next open is weaker
        }
    }

    private void write(long n) throws IOException {
        byte[] text = ("epoch " + epoch + " commits " + n).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(text);
        while (b.hasRemaining()) b.put((byte) ' ');
        b.flip();
        while (b.hasRemaining()) channel.write(b, b.position());
    }

    @Override
    public void close() throws IOException {
        try {
            channel.force(true);
        } finally {
            channel.close();
        }
    }
}
