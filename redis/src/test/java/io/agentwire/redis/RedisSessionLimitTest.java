package io.agentwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Session;
import io.agentwire.core.SessionStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 17 (9): the open sessions of one owner are bounded in cluster mode too, counted in Redis atomically. */
@Tag("integration")
class RedisSessionLimitTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Session session(String id, String owner, Instant expires) {
        return new Session(id, owner, T0, expires, Session.Status.OPEN, 0, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void anOwnerHasAtMostItsMaximumOfOpenUnexpiredSessions() {
        RedisCluster c = REDIS.cluster("t" + System.nanoTime(), HistoryConfig.DEFAULT, Duration.ofSeconds(2));
        SessionStore store = c.sessions();
        Instant later = T0.plus(Duration.ofHours(1));
        assertThat(store.create(session("a1", "alice", later), 2, T0)).isTrue();
        assertThat(store.create(session("a2", "alice", later), 2, T0)).isTrue();
        assertThat(store.create(session("a3", "alice", later), 2, T0)).isFalse();
        assertThat(store.find("a3")).isEmpty();
        assertThat(store.create(session("b1", "bob", later), 2, T0)).isTrue(); // per owner

        store.update(session("a1", "alice", later).withStatus(Session.Status.CLOSED)); // closing frees a place
        assertThat(store.create(session("a3", "alice", later), 2, T0)).isTrue();
        assertThat(store.create(session("a4", "alice", later), 2, T0)).isFalse();
        // once they expire they no longer count
        assertThat(store.create(session("a4", "alice", later.plusSeconds(3600)), 2, later.plusSeconds(1))).isTrue();
    }
}
