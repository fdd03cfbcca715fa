package io.agentwire.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process's single write connection. SQLite admits one writer at a time, so every write (a batch of
 * appends, a session change) runs here as one transaction, serialised by a fair lock so that session writes
 * are not starved by a busy append writer.
 */
final class WriteConnection implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Connection connection;
    private boolean closed;

    WriteConnection(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) connection.setAutoCommit(true);
        this.connection = connection;
    }

    /** Runs {@code work} in a {@code BEGIN IMMEDIATE} transaction: commits if it returns, rolls back if it throws. */
    <T> T transaction(SqlWork<T> work) throws SQLException {
        lock.lock();
        try {
            if (closed) throw new SQLException("the write connection is closed");
            execute("BEGIN IMMEDIATE");
            T result;
            try {
                result = work.apply(connection);
                execute("COMMIT");
            } catch (SQLException | RuntimeException | Error e) {
                rollback(e);
                throw e;
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Rolls back; SQLite may already have rolled back on its own (e.g. after SQLITE_FULL), then this fails. */
    private void rollback(Throwable cause) {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            connection.close();
        } finally {
            lock.unlock();
        }
    }
}
