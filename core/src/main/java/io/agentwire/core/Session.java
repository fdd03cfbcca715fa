package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A logical conversation that outlives connections: its owner, its lifetime and its stream
 * ({@code session:<id>}). Immutable; changes produce a new record.
 *
 * @param ackedSeq the highest seq a client acknowledged (cumulative)
 * @param metadata what the client gave at creation (never interpreted by the server)
 */
public record Session(String id, String owner, Instant createdAt, Instant expiresAt, Status status,
                      long ackedSeq, JsonNode metadata) {

    public enum Status { OPEN, CLOSED }

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metadata, "metadata");
    }

    public String stream() { return streamOf(id); }

    public boolean expiredAt(Instant now) { return !now.isBefore(expiresAt); }

    public Session withStatus(Status s) { return new Session(id, owner, createdAt, expiresAt, s, ackedSeq, metadata); }

    public Session withExpiresAt(Instant e) { return new Session(id, owner, createdAt, e, status, ackedSeq, metadata); }

    public Session withAckedSeq(long seq) {
        return new Session(id, owner, createdAt, expiresAt, status, Math.max(ackedSeq, seq), metadata);
    }

    public static String streamOf(String sessionId) { return "session:" + sessionId; }
}
