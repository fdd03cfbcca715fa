package io.agentwire.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last offset of recently written streams, so that the writer need not query it for every append. A miss
 * (a stream not seen since start, evicted, or forgotten after a failed batch or a deletion) reads
 * {@code max(offset)} through the write connection, inside the writer's transaction: the database stays the
 * source of truth, the map is only a cache of it. Bounded (least recently used streams are evicted).
 */
final class StreamTops {
    private static final String MAX_OFFSET = "SELECT max(offset) FROM events WHERE stream = ?";

    private final LinkedHashMap<String, Long> tops;

    StreamTops(int capacity) {
        this.tops = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Takes the next offset of {@code stream}: call inside the write transaction that stores it. */
    synchronized long next(Connection writeConnection, String stream) throws SQLException {
        Long top = tops.get(stream);
        long next = (top != null ? top : load(writeConnection, stream)) + 1;
        tops.put(stream, next);
        return next;
    }

    /** Drops what is known of these streams (after a rollback or a deletion); the next append reloads it. */
    synchronized void forget(Collection<String> streams) {
        for (String s : streams) tops.remove(s);
    }

    synchronized void forget(String stream) {
        tops.remove(stream);
    }

    private static long load(Connection c, String stream) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MAX_OFFSET)) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L; // max() of no rows is NULL, read as 0
            }
        }
    }
}
