package io.agentwire.core;

import java.time.Instant;
import java.util.Optional;

/** Durable session records. Every method blocks: call through {@link Blocking}. */
public interface SessionStore {

    /** Stores a new session; fails if the id exists. */
    default void create(Session session) {
        create(session, Integer.MAX_VALUE, session.createdAt());
    }

    /**
     * Stores a new session unless its owner already has {@code maxOpen} sessions that are open and unexpired at
     * {@code now}: then nothing is stored and the answer is false. Count and insert are one atomic step (two
     * concurrent creates never both take the last place). Fails if the id exists.
     */
    boolean create(Session session, int maxOpen, Instant now);

    Optional<Session> find(String id);

    /** Replaces the stored record of {@code session.id()}. */
    void update(Session session);

    /** Raises the session's acked seq to {@code seq} if it is higher (never lowers it). */
    void ack(String id, long seq);

    /** Deletes sessions (and their events) that expired before {@code cutoff}; returns how many. */
    int deleteExpired(Instant cutoff);
}
