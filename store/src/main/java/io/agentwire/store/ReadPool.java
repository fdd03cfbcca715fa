package io.agentwire.store;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool of read-only connections. In WAL mode each statement reads one committed snapshot, so a read
 * never sees half of a transaction, and readers never wait for the writer. A connection serves one thread at
 * a time.
 */
final class ReadPool implements AutoCloseable {
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    ReadPool(ConnectionFactory factory, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) idle.add(factory.openRead());
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code work} on a pooled connection; failures become {@link ErrorCode#STORE_UNAVAILABLE}. Blocking. */
    <T> T read(SqlWork<T> work) {
        Connection c = borrow();
        try {
            return work.apply(c);
        } catch (SQLException e) {
            throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "store read failed: " + e.getMessage(), e);
        } finally {
            idle.offer(c);
            if (closed) closeIdle();
        }
    }

    private Connection borrow() {
        try {
            while (!closed) {
                Connection c = idle.poll(100, TimeUnit.MILLISECONDS);
                if (c != null) return c;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "interrupted while waiting for a store read", e);
        }
        throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "the store is closed");
    }

    private void closeIdle() {
        List<Connection> drained = new ArrayList<>();
        idle.drainTo(drained);
        for (Connection c : drained) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a read-only connection: nothing to lose
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }
}
