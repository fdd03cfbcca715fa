package io.agentwire.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.Publication;
import io.agentwire.core.StreamPosition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link EventLog} over the {@code events} table: appends go to the {@link GroupCommitWriter}, reads to the
 * {@link ReadPool}. Payloads are stored as JSON text, serialised on the caller's thread so that the writer
 * only writes.
 */
final class SqliteEventLog implements EventLog {
    private static final String READ =
            "SELECT offset, time_ms, data FROM events WHERE stream = ? AND offset > ? ORDER BY offset LIMIT ?";
    private static final String TOP = "SELECT max(offset) FROM events WHERE stream = ?";

    private final GroupCommitWriter writer;
    private final ReadPool reads;
    private final ObjectMapper json;
    private final String epoch;

    SqliteEventLog(GroupCommitWriter writer, ReadPool reads, ObjectMapper json, String epoch) {
        this.writer = writer;
        this.reads = reads;
        this.json = json;
        this.epoch = epoch;
    }

    @Override
    public void onCommit(Consumer<Publication> listener) {
        writer.onCommit(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public CompletableFuture<Publication> append(String stream, JsonNode data) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(data, "data");
        long now = System.currentTimeMillis();
        String text;
        try {
            text = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(
                    new AgentWireException(ErrorCode.INVALID_FIELD, "the payload can not be written as JSON", e));
        }
        PendingAppend p = new PendingAppend(stream, data, text, now);
        writer.submit(p);
        return p.future;
    }

    @Override
    public List<Publication> read(String stream, long afterOffset, int limit) {
        Objects.requireNonNull(stream, "stream");
        if (afterOffset < 0) throw new IllegalArgumentException("afterOffset must be >= 0, was " + afterOffset);
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        return reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(READ)) {
                ps.setString(1, stream);
                ps.setLong(2, afterOffset);
                ps.setInt(3, limit);
                List<Publication> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Publication(stream, rs.getLong(1), epoch, rs.getLong(2), parse(rs.getString(3))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public StreamPosition top(String stream) {
        Objects.requireNonNull(stream, "stream");
        long top = reads.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(TOP)) {
                ps.setString(1, stream);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
        return new StreamPosition(top, epoch);
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public boolean ready() {
        return writer.ready();
    }

    /** Committed transactions of appends so far (each holds 1..maxBatch appends). */
    long committedBatches() {
        return writer.committedBatches();
    }

    /** Stops taking appends and writes the pending ones; the store's connections stay open. */
    @Override
    public void close() {
        writer.close();
    }

    private JsonNode parse(String text) throws SQLException {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored event data is not valid JSON", e);
        }
    }
}
