package io.agentwire.store;

import static io.agentwire.store.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.Session;
import io.agentwire.core.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionStoreTest {
    static final Instant T0 = Instant.parse("2025-01-01T10:00:00.123Z");

    @TempDir Path dir;
    SqliteStore store;
    SessionStore sessions;
    EventLog log;

    @BeforeEach
    void open() {
        store = SqliteStore.open(SqliteStoreConfig.defaults(dir).withSynchronous(SqliteStoreConfig.Synchronous.NORMAL));
        sessions = store.sessions();
        log = store.eventLog();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Session session(String id, Instant expiresAt) {
        var metadata = Fixtures.obj().put("title", "plan a trip").put("n", 3);
        metadata.putArray("tags").add("a").add("b");
        return new Session(id, "user:alice", T0, expiresAt, Session.Status.OPEN, 0, metadata);
    }

    @Test
    void createFindAndUpdate() {
        Session s = session("s1", T0.plus(Duration.ofHours(1)));
        sessions.create(s);

        assertThat(sessions.find("s1")).contains(s);
        assertThat(sessions.find("nope")).isEmpty();

        Session changed = s.withStatus(Session.Status.CLOSED).withExpiresAt(T0.plus(Duration.ofHours(2)));
        sessions.update(changed);
        assertThat(sessions.find("s1")).contains(changed);

        assertCode(() -> sessions.update(session("nope", T0)), ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void jsonWorkOnVirtualThreadsReusesSharedBuffersInsteadOfOnePerThread() throws Exception {
        // Jackson's default recycler is per thread: each virtual thread that wrote or read a session made its own
        // buffers (a 4 KB char array among them) and kept them while it waited for SQLite. The store's JSON uses the
        // shared pool (global: other tests of this JVM may have filled it already): after 300 threads it holds a few
        // recyclers (those in use at once), not none (per-thread recyclers never reach it) or one per thread.
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "v" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                sessions.create(session(id, T0.plus(Duration.ofHours(1))));
                assertThat(sessions.find(id)).isPresent();
            }));
        }
        for (Thread t : threads) t.join();
        for (int i = 0; i < 300; i++) assertThat(sessions.find("v" + i)).isPresent();
        int pooled = JsonRecyclerPools.sharedConcurrentDequePool().pooledCount();
        assertThat(pooled).isBetween(1, 299);
    }

    @Test
    void anOwnerHasAtMostItsMaximumOfOpenUnexpiredSessions() {
        Instant later = T0.plus(Duration.ofHours(1));
        assertThat(sessions.create(session("a1", later), 2, T0)).isTrue();
        assertThat(sessions.create(session("a2", later), 2, T0)).isTrue();
        assertThat(sessions.create(session("a3", later), 2, T0)).isFalse();
        assertThat(sessions.find("a3")).isEmpty();
        Session bob = new Session("b1", "user:bob", T0, later, Session.Status.OPEN, 0, Fixtures.obj());
        assertThat(sessions.create(bob, 2, T0)).isTrue(); // per owner
        sessions.update(session("a1", later).withStatus(Session.Status.CLOSED)); // closing frees a place
        assertThat(sessions.create(session("a3", later), 2, T0)).isTrue();
        assertThat(sessions.create(session("a4", later), 2, T0)).isFalse();
        assertThat(sessions.create(session("a4", later.plusSeconds(3600)), 2, later.plusSeconds(1))).isTrue(); // expired ones do not count
    }

    @Test
    void aDuplicateIdFailsAndKeepsTheFirstRecord() {
        Session s = session("dup", T0.plus(Duration.ofHours(1)));
        sessions.create(s);

        Session other = new Session("dup", "user:mallory", T0, T0, Session.Status.OPEN, 0, json("x", 1));
        assertThatThrownBy(() -> sessions.create(other)).isInstanceOf(AgentWireException.class)
                .hasMessageContaining("already exists");
        assertThat(sessions.find("dup")).contains(s);
    }

    @Test
    void ackOnlyRaisesTheAckedSeq() {
        sessions.create(session("s1", T0.plus(Duration.ofHours(1))));

        sessions.ack("s1", 5);
        assertThat(sessions.find("s1").orElseThrow().ackedSeq()).isEqualTo(5);
        sessions.ack("s1", 3);
        assertThat(sessions.find("s1").orElseThrow().ackedSeq()).isEqualTo(5);
        sessions.ack("s1", 9);
        assertThat(sessions.find("s1").orElseThrow().ackedSeq()).isEqualTo(9);

        // an update built from a stale record does not lower it either
        sessions.update(session("s1", T0.plus(Duration.ofHours(1))).withStatus(Session.Status.CLOSED));
        Session stored = sessions.find("s1").orElseThrow();
        assertThat(stored.ackedSeq()).isEqualTo(9);
        assertThat(stored.status()).isEqualTo(Session.Status.CLOSED);

        assertCode(() -> sessions.ack("nope", 1), ErrorCode.SESSION_NOT_FOUND);
    }

    @Test
    void deleteExpiredRemovesExpiredSessionsAndTheirEventsOnly() {
        Instant cutoff = T0.plus(Duration.ofMinutes(30));
        sessions.create(session("old", cutoff.minusMillis(1)));
        sessions.create(session("edge", cutoff)); // expiredAt(cutoff) is true at the instant itself
        sessions.create(session("live", cutoff.plusMillis(1)));
        for (String stream : new String[] {"session:old", "session:edge", "session:live", "room:x"}) {
            for (int i = 0; i < 3; i++) log.append(stream, json("i", i)).join();
        }

        assertThat(sessions.deleteExpired(cutoff)).isEqualTo(2);

        assertThat(sessions.find("old")).isEmpty();
        assertThat(sessions.find("edge")).isEmpty();
        assertThat(sessions.find("live")).isPresent();
        assertThat(log.read("session:old", 0, 10)).isEmpty();
        assertThat(log.read("session:edge", 0, 10)).isEmpty();
        assertThat(log.read("session:live", 0, 10)).hasSize(3);
        assertThat(log.read("room:x", 0, 10)).hasSize(3);
        assertThat(sessions.deleteExpired(cutoff)).isZero();
        // a deleted stream starts again, exactly as it would after a restart
        assertThat(log.top("session:old").offset()).isZero();
        assertThat(log.append("session:old", json("i", 0)).join().offset()).isEqualTo(1);
        assertThat(log.append("session:live", json("i", 3)).join().offset()).isEqualTo(4);
    }

    @Test
    void deleteExpiredWorksThroughMoreSessionsThanOneChunk() {
        int n = 1_203;
        for (int i = 0; i < n; i++) sessions.create(session("old-" + i, T0));
        sessions.create(session("live", T0.plus(Duration.ofDays(1))));

        assertThat(sessions.deleteExpired(T0.plusSeconds(1))).isEqualTo(n);
        assertThat(sessions.find("old-0")).isEmpty();
        assertThat(sessions.find("old-" + (n - 1))).isEmpty();
        assertThat(sessions.find("live")).isPresent();
    }

    @Test
    void sessionWritesInterleaveWithAppends() throws Exception {
        var appends = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
        Thread appender = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 2_000; i++) appends.add(log.append("session:busy", json("i", i)));
        });
        sessions.create(session("busy", T0.plus(Duration.ofHours(1))));
        for (int i = 1; i <= 100; i++) sessions.ack("busy", i);
        appender.join();
        appends.forEach(java.util.concurrent.CompletableFuture::join);

        assertThat(sessions.find("busy").orElseThrow().ackedSeq()).isEqualTo(100);
        assertThat(log.top("session:busy").offset()).isEqualTo(2_000);
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(AgentWireException.class)
                .extracting(e -> ((AgentWireException) e).code()).isEqualTo(code);
    }
}
