package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions: creation, ownership checks, time to live, acknowledgements. Records live in a {@link SessionStore};
 * every store call goes through {@link Blocking}, so all methods are safe to call from an event loop.
 *
 * <p>A session expires {@code ttl} after its last use (create, reconnect, a new run). Acks are coalesced in
 * memory and written at most once per {@code ackFlushInterval} per session, so a client that acks every event
 * costs no write per event.
 */
public final class Sessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    /** The result of looking a session up for a principal. */
    public sealed interface Lookup permits Found, NotFound, Expired, Forbidden { }
    public record Found(Session session) implements Lookup { }
    public record NotFound() implements Lookup { }
    public record Expired() implements Lookup { }
    public record Forbidden() implements Lookup { }

    /**
     * @param maxOpenPerPrincipal open, unexpired sessions one principal may own (a create beyond it fails with
     *     {@link ErrorCode#SESSION_LIMIT})
     * @param maxMetadataBytes the largest session metadata, as compact JSON in UTF-8 (larger: {@link
     *     ErrorCode#INVALID_FIELD})
     */
    public record Limits(int maxOpenPerPrincipal, int maxMetadataBytes) {
        public static final Limits DEFAULT = new Limits(1000, 16 * 1024);

        public Limits {
            if (maxOpenPerPrincipal < 1) throw new IllegalArgumentException("maxOpenPerPrincipal must be >= 1");
            if (maxMetadataBytes < 2) throw new IllegalArgumentException("maxMetadataBytes must be >= 2");
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final SessionStore store;
    private final Limits limits;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> pendingAcks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    public Sessions(SessionStore store, Duration ttl, Duration ackFlushInterval, Clock clock) {
        this(store, ttl, ackFlushInterval, clock, Limits.DEFAULT);
    }

    public Sessions(SessionStore store, Duration ttl, Duration ackFlushInterval, Clock clock, Limits limits) {
        this.store = Objects.requireNonNull(store, "store");
        this.limits = Objects.requireNonNull(limits, "limits");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("session ttl must be > 0");
        this.ttl = ttl;
        this.clock = clock;
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("aw-session-acks").factory());
        long every = Math.max(10, ackFlushInterval.toMillis());
        flusher.scheduleWithFixedDelay(() -> Blocking.run(this::flushAcks).join(), every, every, TimeUnit.MILLISECONDS);
    }

    public Duration ttl() { return ttl; }

    public Limits limits() { return limits; }

    /**
     * Why {@code metadata} can not be a session's, or null if it can: larger than {@link Limits#maxMetadataBytes}
     * as compact JSON. CPU only.
     */
    public String metadataProblem(JsonNode metadata) {
        if (metadata == null) return null;
        int size;
        try {
            size = JSON.writeValueAsBytes(metadata).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "the session metadata can not be written as JSON";
        }
        return size <= limits.maxMetadataBytes() ? null : "the session metadata is " + size
                + " bytes as JSON; at most " + limits.maxMetadataBytes() + " are accepted";
    }

    /**
     * Creates and stores a new OPEN session owned by {@code owner}. Fails with {@link ErrorCode#INVALID_FIELD} when
     * the metadata is too large and with {@link ErrorCode#SESSION_LIMIT} when the owner already has
     * {@link Limits#maxOpenPerPrincipal} open, unexpired sessions.
     */
    public CompletableFuture<Session> create(Principal owner, JsonNode metadata) {
        String problem = metadataProblem(metadata);
        if (problem != null) {
            return CompletableFuture.failedFuture(new AgentWireException(ErrorCode.INVALID_FIELD, problem));
        }
        Instant now = clock.instant();
        Session s = new Session(Ids.prefixed("sess"), owner.id(), now, now.plus(ttl), Session.Status.OPEN, 0, metadata);
        return Blocking.supply(() -> {
            if (!store.create(s, limits.maxOpenPerPrincipal(), now)) {
                throw new AgentWireException(ErrorCode.SESSION_LIMIT, "already " + limits.maxOpenPerPrincipal()
                        + " open sessions (the maximum per principal); close one (user.close_session) or let one expire");
            }
            return s;
        });
    }

    /**
     * Looks a session up for {@code principal}: another principal's session is {@link Forbidden} whether or not it
     * expired, so the answer discloses nothing about it.
     */
    public CompletableFuture<Lookup> lookup(String id, Principal principal) {
        return Blocking.supply(() -> {
            Optional<Session> found = store.find(id);
            if (found.isEmpty()) return new NotFound();
            Session s = found.get();
            if (!s.owner().equals(principal.id())) return new Forbidden();
            if (s.expiredAt(clock.instant())) return new Expired();
            Long pending = pendingAcks.get(id);
            return new Found(pending == null ? s : s.withAckedSeq(pending));
        });
    }

    /** Extends the session's life to {@code ttl} from now. */
    public CompletableFuture<Session> touch(Session s) {
        Session touched = s.withExpiresAt(clock.instant().plus(ttl));
        return Blocking.supply(() -> {
            store.update(touched);
            return touched;
        });
    }

    public CompletableFuture<Session> close(Session s) {
        Session closed = s.withStatus(Session.Status.CLOSED);
        return Blocking.supply(() -> {
            store.update(closed);
            return closed;
        });
    }

    /** Records a cumulative ack (monotonic); written to the store within the flush interval. */
    public void ack(String sessionId, long seq) {
        pendingAcks.merge(sessionId, seq, Math::max);
    }

    /** The highest ack seen for the session, pending or stored. */
    public long ackedSeq(Session s) {
        Long pending = pendingAcks.get(s.id());
        return pending == null ? s.ackedSeq() : Math.max(pending, s.ackedSeq());
    }

    /** Deletes sessions that expired (and their events). */
    public CompletableFuture<Integer> purgeExpired() {
        return Blocking.supply(() -> store.deleteExpired(clock.instant()));
    }

    void flushAcks() {
        for (Map.Entry<String, Long> e : pendingAcks.entrySet()) {
            String id = e.getKey();
            long seq = e.getValue();
            try {
                store.ack(id, seq);
                pendingAcks.remove(id, seq);
            } catch (RuntimeException ex) {
                log.warn("could not store ack {} of session {}; will retry", seq, id, ex);
            }
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushAcks();
    }
}
