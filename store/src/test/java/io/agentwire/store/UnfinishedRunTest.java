package io.agentwire.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.EventLog;
import io.agentwire.core.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnfinishedRunTest {
    @TempDir Path dir;
    SqliteStore store;
    EventLog log;

    @BeforeEach
    void open() {
        store = SqliteStore.open(SqliteStoreConfig.defaults(dir).withSynchronous(SqliteStoreConfig.Synchronous.NORMAL));
        log = store.eventLog();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void session(String id, Instant expiresAt) {
        store.sessions().create(new Session(id, "alice", Instant.now(), expiresAt, Session.Status.OPEN, 0, Fixtures.obj()));
    }

    private void event(String sessionId, String event, String runId) {
        var data = Fixtures.obj().put("event", event);
        if (runId != null) data.putObject("metadata").put("run_id", runId);
        log.append(Session.streamOf(sessionId), data).join();
    }

    @Test
    void findsRunsWithoutPipelineCompletedInLiveSessionsOnly() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        session("s1", later);
        session("s2", later);
        session("old", Instant.now().minus(Duration.ofMinutes(1)));
        event("s1", "agent.session_created", null);
        event("s1", "plan.start", "r1");
        event("s1", "pipeline.completed", "r1");   // finished
        event("s1", "plan.start", "r2");
        event("s1", "solver.start", "r2");         // left running
        event("s2", "plan.start", "r3");           // left running
        event("old", "plan.start", "r4");          // expired session: not ours to touch
        event("s2", "plan.start", "r5");
        event("s2", "pipeline.completed", "r5");

        assertThat(store.unfinishedRuns()).containsExactlyInAnyOrder(new UnfinishedRun("s1", "r2"), new UnfinishedRun("s2", "r3"));
    }

    @Test
    void anEmptyStoreHasNone() {
        assertThat(store.unfinishedRuns()).isEmpty();
    }
}
