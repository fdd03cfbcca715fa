package io.agentwire.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Session;
import io.agentwire.core.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The {@link SessionStore} over the {@code sessions} table. Writes share the {@link WriteConnection} with the
 * event writer; reads use the {@link ReadPool}. Times are stored in epoch milliseconds (sub-millisecond parts
 * are dropped); metadata is stored as JSON text. The acked seq never decreases, whichever write raced.
 */
final class SqliteSessionStore implements SessionStore {
    private static final String COLUMNS = "id, owner, created_at_ms, expires_at_ms, status, acked_seq, metadata";
    /** Inserts unless the owner has the maximum of open, unexpired sessions (one statement: atomic). */
    private static final String INSERT = "INSERT INTO sessions (" + COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?"
            + " WHERE (SELECT count(*) FROM sessions WHERE owner = ? AND status = 'OPEN' AND expires_at_ms > ?) < ?";
    private static final String FIND = "SELECT " + COLUMNS + " FROM sessions WHERE id = ?";
    private static final String UPDATE = "UPDATE sessions SET owner = ?, created_at_ms = ?, expires_at_ms = ?,"
            + " status = ?, acked_seq = max(acked_seq, ?), metadata = ? WHERE id = ?";
    private static final String ACK = "UPDATE sessions SET acked_seq = max(acked_seq, ?) WHERE id = ?";
    private static final String EXPIRED = "SELECT id FROM sessions WHERE expires_at_ms <= ? LIMIT ?";
    private static final String DELETE_EVENTS = "DELETE FROM events WHERE stream = ?";
    private static final String DELETE_SESSION = "DELETE FROM sessions WHERE id = ?";
    private static final int DELETE_CHUNK = 500;

    private final WriteConnection write;
    private final ReadPool reads;
    private final StreamTops tops;
    private final ObjectMapper json;

    SqliteSessionStore(WriteConnection write, ReadPool reads, StreamTops tops, ObjectMapper json) {
        this.write = write;
        this.reads = reads;
        this.tops = tops;
        this.json = json;
    }

    @Override
    public boolean create(Session s, int maxOpen, Instant now) {
        Objects.requireNonNull(s, "session");
        String metadata = text(s.metadata());
        try {
            return 1 == write(c -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    ps.setString(1, s.id());
                    ps.setString(2, s.owner());
                    ps.setLong(3, s.createdAt().toEpochMilli());
                    ps.setLong(4, s.expiresAt().toEpochMilli());
                    ps.setString(5, s.status().name());
                    ps.setLong(6, s.ackedSeq());
                    ps.setString(7, metadata);
                    ps.setString(8, s.owner());
                    ps.setLong(9, now.toEpochMilli());
                    ps.setInt(10, maxOpen);
                    return ps.executeUpdate();
                }
            });
        } catch (AgentWireException e) {
            if (e.getCause() instanceof SQLiteException se
                    && se.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                throw new AgentWireException(ErrorCode.INVALID_FIELD, "session " + s.id() + " already exists", se);
            }
            throw e;
        }
    }

    @Override
    public Optional<Session> find(String id) {
        Objects.requireNonNull(id, "id");
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(FIND)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(session(rs)) : Optional.<Session>empty();
                }
            }
        });
    }

    /** Replaces the record, except that a lower acked seq than the stored one is ignored. */
    @Override
    public void update(Session s) {
        Objects.requireNonNull(s, "session");
        String metadata = text(s.metadata());
        int rows = write(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setString(1, s.owner());
                ps.setLong(2, s.createdAt().toEpochMilli());
                ps.setLong(3, s.expiresAt().toEpochMilli());
                ps.setString(4, s.status().name());
                ps.setLong(5, s.ackedSeq());
                ps.setString(6, metadata);
                ps.setString(7, s.id());
                return ps.executeUpdate();
            }
        });
        if (rows == 0) throw new AgentWireException(ErrorCode.SESSION_NOT_FOUND, "no session " + s.id());
    }

    @Override
    public void ack(String id, long seq) {
        Objects.requireNonNull(id, "id");
        int rows = write(c -> {
            try (PreparedStatement ps = c.prepareStatement(ACK)) {
                ps.setLong(1, seq);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
        if (rows == 0) throw new AgentWireException(ErrorCode.SESSION_NOT_FOUND, "no session " + id);
    }

    /** Deletes sessions with {@code expiresAt <= cutoff} (as {@link Session#expiredAt}) and their streams. */
    @Override
    public int deleteExpired(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int total = 0;
        int deleted;
        do { // in chunks, so that appends are not held up behind one long transaction
            deleted = write(c -> deleteChunk(c, cutoff.toEpochMilli()));
            total += deleted;
        } while (deleted == DELETE_CHUNK);
        return total;
    }

    private int deleteChunk(Connection c, long cutoffMs) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(EXPIRED)) {
            ps.setLong(1, cutoffMs);
            ps.setInt(2, DELETE_CHUNK);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        try (PreparedStatement events = c.prepareStatement(DELETE_EVENTS);
             PreparedStatement sessions = c.prepareStatement(DELETE_SESSION)) {
            for (String id : ids) {
                events.setString(1, Session.streamOf(id));
                events.addBatch();
                sessions.setString(1, id);
                sessions.addBatch();
                tops.forget(Session.streamOf(id));
            }
            if (!ids.isEmpty()) {
                events.executeBatch();
                sessions.executeBatch();
            }
        }
        return ids.size();
    }

    private <T> T write(SqlWork<T> work) {
        try {
            return write.transaction(work);
        } catch (SQLException e) {
            throw new AgentWireException(ErrorCode.STORE_UNAVAILABLE, "store write failed: " + e.getMessage(), e);
        }
    }

    private Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                Instant.ofEpochMilli(rs.getLong(4)), Session.Status.valueOf(rs.getString(5)), rs.getLong(6),
                parse(rs.getString(7)));
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new AgentWireException(ErrorCode.INVALID_FIELD, "session metadata can not be written as JSON", e);
        }
    }

    private JsonNode parse(String text) throws SQLException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored session metadata is not valid JSON", e);
        }
    }
}
