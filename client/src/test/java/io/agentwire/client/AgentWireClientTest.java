package io.agentwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client against the real server (in-process, production mode with a JWT), over real sockets. */
@Tag("integration")
class AgentWireClientTest {
    static final Duration RUN = Duration.ofSeconds(60);
    static final String TOKEN = TestServer.token("alice");

    @TempDir static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every session event a client delivers, and its life events. */
    static final class Recorder implements ClientListener {
        final List<Envelope> events = new CopyOnWriteArrayList<>();
        final List<String> life = new CopyOnWriteArrayList<>();
        final List<Envelope> resumed = new CopyOnWriteArrayList<>();
        final List<AgentWireException> errors = new CopyOnWriteArrayList<>();
        final List<Long> gaps = new CopyOnWriteArrayList<>();

        Recorder attach(AgentWireClient c) {
            c.on("*", e -> { if (e.seq() != null) events.add(e); });
            return this;
        }

        List<String> lines() {
            return events.stream().map(e -> e.seq() + " " + e.event()).toList();
        }

        @Override public void onDisconnected(int code, String reason) { life.add("disconnected " + code); }
        @Override public void onReconnecting(int attempt, Duration delay) { life.add("reconnecting " + attempt); }
        @Override public void onResumed(Envelope notice) { resumed.add(notice); }
        @Override public void onError(AgentWireException error) { errors.add(error); }
        @Override public void onGap(long expected, long got) { gaps.add(got); }
    }

    static AgentWireClient.Builder client(URI url, Recorder r) {
        return AgentWireClient.builder(url).token(TOKEN).listener(r)
                .reconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 2.0, 0.2, Integer.MAX_VALUE));
    }

    static void assertContiguous(List<Envelope> events) {
        assertThat(events.stream().map(Envelope::seq).toList()).as("seq 1, 2, 3 … each exactly once")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    }

    /** The server's whole record of a session, read by a fresh client resuming from seq 0. */
    static List<String> history(String sessionId) throws Exception {
        Recorder r = new Recorder();
        try (AgentWireClient c = client(server.ws(), r).build()) {
            r.attach(c);
            c.connect();
            c.resume(sessionId, 0);
        }
        return r.lines();
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void streamsARunAnswersItsConfirmationAndMatchesTheServersHistory() throws Exception {
        Recorder r = new Recorder();
        List<Envelope> confirms = new CopyOnWriteArrayList<>();
        List<String> partials = new CopyOnWriteArrayList<>();
        String sessionId;
        Run run;
        try (AgentWireClient c = client(server.ws(), r).onConfirm(e -> { confirms.add(e); return true; }).build()) {
            r.attach(c);
            c.on("agent.partial_answer", e -> partials.add(e.text()));
            c.connect();
            sessionId = c.createSession();
            run = c.send("Compare three vector databases", RunOptions.agent("demo"));
            Envelope end = run.await(RUN);
            assertThat(end.metadata().path("status").asText()).isEqualTo("completed");
        }
        assertThat(sessionId).startsWith("sess_");
        assertThat(run.status()).isEqualTo("completed");
        assertThat(run.runId()).isNotBlank();
        assertThat(run.events()).allMatch(e -> run.runId().equals(e.runId()));
        assertThat(run.events()).anyMatch(e -> e.event().equals("agent.final_answer") && !e.text().isBlank());
        assertThat(confirms).hasSize(1);
        assertThat(confirms.getFirst().content().path("options").toString()).isEqualTo("[\"approve\",\"reject\"]");
        assertThat(partials).hasSizeGreaterThanOrEqualTo(3);
        assertContiguous(r.events);
        assertThat(r.gaps).isEmpty();
        assertThat(r.events.getFirst().event()).isEqualTo("agent.session_created");
        assertThat(r.events.getLast().event()).isEqualTo("pipeline.completed");
        assertThat(history(sessionId)).containsExactlyElementsOf(r.lines());
    }

    @Test
    void aLinkCutMidRunIsResumedWithNothingLostOrRepeated() throws Exception {
        Recorder r = new Recorder();
        Recorder seen = new Recorder();
        List<Envelope> lost = new CopyOnWriteArrayList<>();
        AtomicLong cutAt = new AtomicLong();
        try (TcpProxy proxy = new TcpProxy(server.port);
             AgentWireClient c = client(proxy.ws(), r).onConfirm(e -> "approve").build();
             AgentWireClient observer = client(server.ws(), seen).build()) {
            r.attach(c);
            c.connect();
            String sessionId = c.createSession();
            // A second connection to the same session, straight to the server: it sees the run go on meanwhile.
            seen.attach(observer);
            observer.on("error.connection_lost", lost::add);
            observer.connect();
            observer.resume(sessionId, 0);

            c.on("solver.start", e -> {
                if (cutAt.compareAndSet(0, e.seq())) {
                    proxy.refuse(true);
                    proxy.cut();
                }
            });
            Run run = c.send("What is AgentWire?");
            until(() -> cutAt.get() > 0, "the first solver.start");
            until(() -> seen.events.size() >= cutAt.get() + 3 && !lost.isEmpty(), "the run to go on without the client");
            proxy.refuse(false);
            Envelope end = run.await(RUN);
            until(() -> !seen.events.isEmpty() && seen.events.getLast().event().equals("pipeline.completed"), "the observer to see the end");

            assertThat(end.metadata().path("status").asText()).isEqualTo("completed");
            assertThat(lost.getFirst().code()).as("the server saw a drop, not a close").isEqualTo("CONNECTION_LOST");
            assertThat(r.life).first().asString().startsWith("disconnected").isNotEqualTo("disconnected 1000");
            assertThat(r.life).contains("reconnecting 1");
            assertThat(r.resumed).hasSize(1);
            JsonNode resumed = r.resumed.getFirst().metadata();
            assertThat(resumed.path("mode").asText()).isEqualTo("replay");
            assertThat(resumed.path("from_seq").asLong()).isEqualTo(cutAt.get() + 1);
            assertThat(resumed.path("replayed").asLong()).isGreaterThanOrEqualTo(3);
            assertContiguous(r.events);
            assertThat(r.gaps).isEmpty();
            assertThat(r.lines()).as("the client saw exactly what the live observer saw").containsExactlyElementsOf(seen.lines());
            assertThat(history(sessionId)).containsExactlyElementsOf(r.lines());
        }
    }

    @Test
    void aDropLongerThanTheReplayWindowResumesFromASnapshotThenTheRest() throws Exception {
        try (TestServer small = new TestServer(dir.resolve("small-window"), null, Map.of("agentwire.history.size", 3));
             TcpProxy proxy = new TcpProxy(small.port)) {
            Recorder r = new Recorder();
            Recorder seen = new Recorder();
            List<Envelope> snapshots = new CopyOnWriteArrayList<>();
            AtomicLong cutAt = new AtomicLong();
            try (AgentWireClient c = client(proxy.ws(), r).onConfirm(e -> true).build();
                 AgentWireClient observer = client(small.ws(), seen).build()) {
                r.attach(c);
                c.on("agent.state_exported", snapshots::add);
                c.connect();
                String sessionId = c.createSession();
                seen.attach(observer);
                observer.connect();
                observer.resume(sessionId, 0);
                c.on("solver.start", e -> {
                    if (cutAt.compareAndSet(0, e.seq())) {
                        proxy.refuse(true);
                        proxy.cut();
                    }
                });
                Run run = c.send("What is AgentWire?");
                until(() -> cutAt.get() > 0 && seen.events.size() >= cutAt.get() + 8, "the run to go past the window");
                proxy.refuse(false);
                assertThat(run.await(RUN).metadata().path("status").asText()).isEqualTo("completed");
                until(() -> !r.resumed.isEmpty(), "the RESUMED notice");
                until(() -> seen.events.getLast().event().equals("pipeline.completed"), "the observer to see the end");

                JsonNode resumed = r.resumed.getFirst().metadata();
                assertThat(resumed.path("mode").asText()).isEqualTo("snapshot");
                long snapshotSeq = resumed.path("snapshot_seq").asLong();
                assertThat(snapshotSeq).isGreaterThan(cutAt.get());
                assertThat(snapshots).hasSize(1);
                assertThat(snapshots.getFirst().content().path("state").path("last_seq").asLong()).isEqualTo(snapshotSeq);
                List<Long> seqs = r.events.stream().map(Envelope::seq).toList();
                List<Long> expected = new java.util.ArrayList<>(LongStream.rangeClosed(1, cutAt.get()).boxed().toList());
                expected.addAll(LongStream.rangeClosed(snapshotSeq + 1, seen.events.getLast().seq()).boxed().toList());
                assertThat(seqs).as("before the cut, then after the snapshot: each once").containsExactlyElementsOf(expected);
                assertThat(r.gaps).as("the snapshot covers the jump: no gap").isEmpty();
                assertThat(r.lines()).isSubsetOf(seen.lines());
                assertThat(c.lastSeq()).isEqualTo(seen.events.getLast().seq());
            }
        }
    }

    @Test
    void aConfirmationPendingInTheSnapshotIsHandedToOnConfirm() throws Exception {
        try (TestServer small = new TestServer(dir.resolve("small-window-confirm"), null, Map.of("agentwire.history.size", 3));
             TcpProxy proxy = new TcpProxy(small.port)) {
            Recorder r = new Recorder();
            Recorder seen = new Recorder();
            List<Envelope> confirms = new CopyOnWriteArrayList<>();
            try (AgentWireClient c = client(proxy.ws(), r).onConfirm(e -> { confirms.add(e); return true; }).build();
                 AgentWireClient observer = client(small.ws(), seen).build()) {
                r.attach(c);
                c.connect();
                String sessionId = c.createSession();
                seen.attach(observer);
                observer.connect();
                observer.resume(sessionId, 0);
                c.on("plan.start", e -> {
                    proxy.refuse(true);
                    proxy.cut();
                });
                Run run = c.send("What is AgentWire?");
                until(() -> seen.events.stream().anyMatch(e -> e.event().equals("agent.user_confirm")), "the confirmation, asked while away");
                proxy.refuse(false);
                assertThat(run.await(RUN).metadata().path("status").asText()).isEqualTo("completed");
                until(() -> !r.resumed.isEmpty(), "the RESUMED notice");
                assertThat(r.resumed.getFirst().metadata().path("mode").asText()).isEqualTo("snapshot");
                assertThat(confirms).hasSize(1);
                assertThat(confirms.getFirst().raw().path("from_snapshot").asBoolean()).isTrue();
                assertThat(confirms.getFirst().stepId()).startsWith("confirm_plan_");
                assertThat(r.gaps).isEmpty();
            }
        }
    }

    @Test
    void aBlackHoledLinkIsNoticedByHeartbeatSilenceAndResumed() throws Exception {
        Recorder r = new Recorder();
        try (TcpProxy proxy = new TcpProxy(server.port);
             AgentWireClient c = client(proxy.ws(), r).onConfirm(e -> true).build()) {
            r.attach(c);
            c.connect();
            assertThat(c.serverInfo().path("heartbeat_timeout_ms").asLong()).isLessThanOrEqualTo(5000);
            String sessionId = c.createSession();
            c.on("solver.start", e -> { if (e.seq() < 10) proxy.blackhole(); });
            Envelope end = c.send("What is AgentWire?").await(RUN);
            assertThat(end.metadata().path("status").asText()).isEqualTo("completed");
            until(() -> !r.resumed.isEmpty(), "the RESUMED notice after the replay");
            assertThat(r.errors).anyMatch(e -> e.code().equals("HEARTBEAT_TIMEOUT"));
            assertThat(r.resumed).hasSize(1);
            assertContiguous(r.events);
            assertThat(history(sessionId)).containsExactlyElementsOf(r.lines());
        }
    }

    @Test
    void cancelStopsTheRunMidWay() throws Exception {
        Recorder r = new Recorder();
        try (AgentWireClient c = client(server.ws(), r).build()) {
            r.attach(c);
            c.connect();
            c.createSession();
            Run run = c.send("Cancel me", RunOptions.DEFAULT.confirm(false));
            c.on("solver.start", e -> run.cancel());
            Envelope end = run.await(RUN);
            assertThat(end.metadata().path("status").asText()).isEqualTo("cancelled");
            assertThat(run.status()).isEqualTo("cancelled");
            assertThat(run.events()).anyMatch(e -> e.event().equals("solver.cancelled") || e.event().equals("plan.cancelled"));
            assertThat(run.events()).noneMatch(e -> e.event().equals("agent.final_answer"));
            assertContiguous(r.events);
        }
    }

    @Test
    void aConfirmationAnsweredFromAVirtualThreadReadingTheEventStream() throws Exception {
        Recorder r = new Recorder();
        try (AgentWireClient c = client(server.ws(), r).build(); EventStream events = c.events()) {
            c.connect();
            c.createSession();
            Run run = c.send("Plan something");
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    Envelope confirm = events.next("agent.user_confirm", RUN);
                    c.respond(confirm.stepId(), "reject");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Envelope end = run.await(RUN);
            reader.join(RUN);
            assertThat(end.metadata().path("status").asText()).isEqualTo("rejected");
            assertThat(run.events()).noneMatch(e -> e.event().equals("solver.start"));
        }
    }

    @Test
    void picksTheAgentByNameAndReportsAnUnknownOne() throws Exception {
        Recorder r = new Recorder();
        try (AgentWireClient c = client(server.ws(), r).build()) {
            c.connect();
            c.createSession();
            Run refused = c.send("Hello", RunOptions.agent("no-such-agent"));
            assertThatThrownBy(() -> refused.await(RUN)).isInstanceOfSatisfying(AgentWireException.class,
                    e -> assertThat(e.code()).isEqualTo("AGENT_NOT_FOUND"));
            assertThat(refused.status()).isEqualTo("failed");
            Envelope end = c.send("Hello", RunOptions.agent("demo").confirm(false)).await(RUN);
            assertThat(end.metadata().path("status").asText()).isEqualTo("completed");
            assertThat(r.errors).extracting(AgentWireException::code).containsExactly("AGENT_NOT_FOUND");
        }
    }

    @Test
    void aNewClientResumesASessionAndAnUnknownOneIsReported() throws Exception {
        Recorder first = new Recorder();
        String sessionId;
        long lastSeq;
        try (AgentWireClient c = client(server.ws(), first).build()) {
            first.attach(c);
            c.connect();
            sessionId = c.createSession();
            c.send("Hello", RunOptions.DEFAULT.confirm(false));
            until(() -> first.events.size() >= 6, "six events");
            lastSeq = c.lastSeq();
        } // the run goes on with nobody connected
        Recorder second = new Recorder();
        try (AgentWireClient c = client(server.ws(), second).resume(sessionId, lastSeq).build()) {
            second.attach(c);
            c.connect();
            assertThat(second.resumed.getFirst().metadata().path("from_seq").asLong()).isEqualTo(lastSeq + 1);
            until(() -> !second.events.isEmpty() && second.events.getLast().event().equals("pipeline.completed"), "the end of the run");
        }
        List<Envelope> all = new java.util.ArrayList<>(first.events.stream().filter(e -> e.seq() <= lastSeq).toList());
        all.addAll(second.events);
        assertContiguous(all);

        try (AgentWireClient c = client(server.ws(), new Recorder()).resume("sess_does_not_exist", 3).build()) {
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(AgentWireException.class,
                    e -> assertThat(e.code()).isEqualTo("SESSION_NOT_FOUND"));
            assertThat(c.sessionId()).isNull();
            assertThat(c.createSession()).startsWith("sess_");
        }
    }

    @Test
    void exportsAndClosesTheSession() throws Exception {
        try (AgentWireClient c = client(server.ws(), new Recorder()).build()) {
            c.connect();
            String sessionId = c.createSession();
            c.send("Hello", RunOptions.DEFAULT.confirm(false)).await(RUN);
            JsonNode state = c.exportState();
            assertThat(state.path("session_id").asText()).isEqualTo(sessionId);
            assertThat(state.path("runs").size()).isEqualTo(1);
            assertThat(state.path("runs").get(0).path("status").asText()).isEqualTo("completed");
            assertThat(c.closeSession().content().path("session_id").asText()).isEqualTo(sessionId);
            Run refused = c.send("Again");
            assertThatThrownBy(() -> refused.await(RUN)).isInstanceOfSatisfying(AgentWireException.class,
                    e -> assertThat(e.code()).isEqualTo("SESSION_CLOSED"));
        }
    }

    @Test
    void aWrongTokenIsRefusedWithoutRetrying() throws Exception {
        Recorder r = new Recorder();
        try (AgentWireClient c = AgentWireClient.builder(server.ws()).token("not-a-jwt").listener(r).build()) {
            assertThatThrownBy(c::connect).isInstanceOfSatisfying(AgentWireException.class,
                    e -> assertThat(e.code()).isEqualTo("AUTH_FAILED"));
            assertThat(c.state()).isEqualTo(AgentWireClient.State.CLOSED);
        }
        try (AgentWireClient c = AgentWireClient.builder(server.ws()).token(TOKEN).tokenInQuery(true).build()) {
            c.connect();
            assertThat(c.createSession()).startsWith("sess_");
        }
    }

    @Test
    void backoffGrowsWithinItsJitterAndCap() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2, 5);
        assertThat(p.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delay(3, () -> 0.5)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delay(9, () -> 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(80));
        assertThat(p.delay(1, () -> 0.999999)).isEqualTo(Duration.ofMillis(120));
        assertThatThrownBy(() -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.2, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
