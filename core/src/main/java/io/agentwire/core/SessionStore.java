package io.agentwire.core;

import java.time.Instant;
import java.util.Optional;

/** Durable session records. Every method blocks: call through {@link Blocking}. */
public interface SessionStore {

    /** Stores a new session; fails if the id exists. */
    void create(Session session);

    Optional<Session> find(String id);

    /** Replaces the stored record of {@code session.id()}. */
    void update(Session session);

    /** Raises the session's acked seq to {@code seq} if it is higher (never lowers it). */
    void ack(String id, long seq);

    /** Deletes sessions (and their events) that expired before {@code cutoff}; returns how many. */
    int deleteExpired(Instant cutoff);
}
