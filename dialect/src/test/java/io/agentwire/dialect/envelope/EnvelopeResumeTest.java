package io.agentwire.dialect.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Session;
import io.agentwire.protocol.envelope.EnvelopeCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconnection: the quick flow, the extended flow, unknown/expired/forbidden sessions, restarts. */
@Tag("integration")
class EnvelopeResumeTest {
    @TempDir Path dir;

    private static JsonNode reconnect(String sid, Long lastSeq) {
        var m = Client.envelope("user.reconnect").put("session_id", sid);
        var content = Client.JSON.createObjectNode();
        if (lastSeq != null) content.put("last_seq", lastSeq);
        return m.set("content", content);
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : messages) if (n.has("seq")) out.add(n.get("seq").asLong());
        return out;
    }

    @Test
    void disconnectMidRunThenReconnectGetsExactlyTheMissedEventsThenLiveOnes() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults()
                .withDemo(new io.agentwire.agent.DemoAgentConfig(Duration.ofMillis(20), true, Duration.ofSeconds(30))))) {
            Client first = Client.connect(server.uri("alice"));
            String sid = first.createSession();
            first.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "Research topic")));
            JsonNode confirm = first.await("agent.user_confirm");
            first.send(Client.envelope("user.response").put("session_id", sid).put("step_id", confirm.get("step_id").asText())
                    .set("content", Client.JSON.createObjectNode().put("approved", true)));
            JsonNode lastSeen = first.await("solver.start");
            first.abort(); // the network drops mid-run
            long last = lastSeen.get("seq").asLong();
            List<Long> seenBefore = seqs(first.all).stream().filter(s -> s <= last).toList();

            Thread.sleep(150); // the run goes on while no one is connected
            try (Client second = Client.connect(server.uri("alice"))) {
                second.await("system.connected");
                second.send(reconnect(sid, last).toString());
                List<JsonNode> got = second.collectUntil("pipeline.completed");
                int notice = -1;
                for (int i = 0; i < got.size(); i++) {
                    if (got.get(i).path("event").asText().equals("system.notice")) notice = i;
                }
                assertThat(notice).as("a RESUMED notice arrives").isGreaterThanOrEqualTo(0);
                JsonNode resumed = got.get(notice);
                assertThat(resumed.path("content").path("code").asText()).isEqualTo("RESUMED");
                assertThat(resumed.path("metadata").path("mode").asText()).isEqualTo("replay");
                long to = resumed.path("metadata").path("to_seq").asLong();
                assertThat(resumed.path("metadata").path("from_seq").asLong()).isEqualTo(last + 1);
                assertThat(seqs(got.subList(0, notice))).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(to));
                assertThat(seqs(got.subList(notice, got.size()))).allSatisfy(s -> assertThat(s).isGreaterThan(to));
                assertThat(resumed.path("metadata").path("replayed").asLong()).isEqualTo(to - last);
                List<Long> all = new ArrayList<>(seenBefore);
                all.addAll(seqs(got));
                for (int i = 0; i < all.size(); i++) assertThat(all.get(i)).as("seq at %d", i).isEqualTo(i + 1L);
            }
        }
    }

    /**
     * 200 hand-overs while events are being published: each time the client drops, misses a few events,
     * reconnects with the last seq it saw, and must see the missed ones exactly once, in order, then live ones.
     */
    @Test
    void twoHundredHandOversWhilePublishingLoseAndRepeatNothing() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            String sid;
            try (Client c = Client.connect(server.uri("alice"))) {
                sid = c.createSession();
            }
            String stream = Session.streamOf(sid);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong published = new AtomicLong(1);
            Thread publisher = Thread.ofPlatform().start(() -> {
                int i = 0;
                while (!stop.get()) {
                    var data = EnvelopeCodec.envelope("agent.thinking", sid, null,
                            JsonNodeFactory.instance.objectNode().put("text", "tick " + (++i)), JsonNodeFactory.instance.objectNode().put("run_id", "run_load"));
                    published.set(server.node.publish(stream, data).join().offset());
                    if (i % 50 == 0) {
                        try { Thread.sleep(1); } catch (InterruptedException e) { return; }
                    }
                }
            });
            List<Long> seen = new ArrayList<>();
            seen.add(1L);
            long last = 1;
            try {
                for (int round = 0; round < 200; round++) {
                    try (Client c = Client.connect(server.uri("alice"))) {
                        c.await("system.connected");
                        c.send(reconnect(sid, last).toString());
                        long target = published.get() + 2;
                        while (true) {
                            JsonNode n = c.await(x -> true, "events in round " + 0);
                            if (n.has("seq")) {
                                seen.add(n.get("seq").asLong());
                                last = n.get("seq").asLong();
                                if (last >= target) break;
                            } else {
                                assertThat(n.path("content").path("code").asText()).isEqualTo("RESUMED");
                            }
                        }
                        c.abort();
                    }
                    long missUntil = last + 3; // stay away while a few are published
                    while (published.get() < missUntil) Thread.onSpinWait();
                }
            } finally {
                stop.set(true);
                publisher.join();
            }
            for (int i = 0; i < seen.size(); i++) assertThat(seen.get(i)).as("seq at %d", i).isEqualTo(i + 1L);
            assertThat(seen.size()).isGreaterThan(200 * 3);
        }
    }

    @Test
    void beyondTheReplayWindowTheExtendedFlowSendsASnapshotThenLaterEvents() throws Exception {
        Harness.Settings small = Harness.Settings.defaults().withHistory(new HistoryConfig(3, Duration.ofMinutes(1), Duration.ofMinutes(5)));
        try (Harness server = new Harness(dir, small)) {
            String sid;
            try (Client c = Client.connect(server.uri("alice"))) {
                sid = c.createSession();
                c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "Long task")));
                c.await("agent.user_confirm"); // 5 events after seq 1: more than the window of 3
            }
            try (Client c = Client.connect(server.uri("alice"))) {
                c.await("system.connected");
                c.send(reconnect(sid, 1L).toString());
                JsonNode snapshot = c.await("agent.state_exported");
                JsonNode state = snapshot.path("content").path("state");
                long snapSeq = state.path("last_seq").asLong();
                assertThat(snapSeq).as("the run waits at its confirmation, seq 6").isEqualTo(6);
                assertThat(state.path("pending_confirmations")).hasSize(1);
                JsonNode notice = c.await("system.notice");
                assertThat(notice.path("content").path("code").asText()).isEqualTo("RESUMED");
                assertThat(notice.path("metadata").path("mode").asText()).isEqualTo("snapshot");
                assertThat(notice.path("metadata").path("snapshot_seq").asLong()).isEqualTo(snapSeq);
                // answering the pending confirmation continues the run; later events follow the snapshot
                String step = state.path("pending_confirmations").get(0).path("step_id").asText();
                c.send(Client.envelope("user.response").put("session_id", sid).put("step_id", step)
                        .set("content", Client.JSON.createObjectNode().put("approved", true)));
                List<JsonNode> later = c.collectUntil("pipeline.completed");
                List<Long> s = seqs(later);
                assertThat(s.get(0)).isEqualTo(snapSeq + 1);
                for (int i = 1; i < s.size(); i++) assertThat(s.get(i)).isEqualTo(s.get(i - 1) + 1);
            }
        }
    }

    @Test
    void unknownSessionIsSessionNotFoundAndAnotherPrincipalsIsForbiddenDisclosingNothing() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            String sid;
            try (Client alice = Client.connect(server.uri("alice"))) {
                sid = alice.createSession();
            }
            try (Client bob = Client.connect(server.uri("bob"))) {
                bob.await("system.connected");
                bob.send(reconnect("sess_doesnotexist", 0L).toString());
                JsonNode nf = bob.await("error.recovery_failed");
                assertThat(nf.path("metadata").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
                assertThat(nf.has("seq")).isFalse();

                bob.send(reconnect(sid, 0L).toString());
                JsonNode forbidden = bob.await("error.validation");
                assertThat(forbidden.path("metadata").path("code").asText()).isEqualTo("SESSION_FORBIDDEN");
                assertThat(forbidden.toString()).doesNotContain("alice").doesNotContain("session_created");
                bob.send(Client.envelope("user.export_state").put("session_id", sid).toString());
                assertThat(bob.await("error.validation").path("metadata").path("code").asText()).isEqualTo("SESSION_FORBIDDEN");
                bob.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "hi")).toString());
                assertThat(bob.await("error.validation").path("metadata").path("code").asText()).isEqualTo("SESSION_FORBIDDEN");
                Thread.sleep(100);
                assertThat(bob.all).noneMatch(n -> n.has("seq"));
            }
        }
    }

    @Test
    void connectionsThatDropWhileResumingLeaveNoSubscriptionBehind() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            String sid;
            try (Client c = Client.connect(server.uri("alice"))) {
                sid = c.createSession();
            }
            for (int i = 0; i < 50; i++) {
                Client c = Client.connect(server.uri("alice"));
                c.send(reconnect(sid, 0L).toString());
                if (i % 2 == 0) c.abort(); // drop at once, before or while the resume is set up
                else {
                    c.await("system.notice");
                    c.close();
                }
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((server.dialect.connections() > 0 || server.node.localSubscribers(Session.streamOf(sid)) > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.dialect.connections()).isZero();
            assertThat(server.node.localSubscribers(Session.streamOf(sid))).isZero();
        }
    }

    @Test
    void anExpiredSessionIsSessionExpired() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults().withSessionTtl(Duration.ofMillis(300)))) {
            String sid;
            try (Client c = Client.connect(server.uri("alice"))) {
                sid = c.createSession();
            }
            server.clock.skip(Duration.ofMillis(600)); // past the 300 ms time to live, without waiting for it
            try (Client c = Client.connect(server.uri("alice"))) {
                c.await("system.connected");
                c.send(reconnect(sid, 1L).toString());
                assertThat(c.await("error.recovery_failed").path("metadata").path("code").asText()).isEqualTo("SESSION_EXPIRED");
            }
        }
    }

    @Test
    void withoutLastSeqTheHighestAckIsTheResumePoint() throws Exception {
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            String sid;
            try (Client c = Client.connect(server.uri("alice"))) {
                sid = c.createSession();
                c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "x")));
                JsonNode confirm = c.await("agent.user_confirm");
                c.send(Client.envelope("user.ack").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("seq", 3)));
                c.send(Client.envelope("user.ack").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("seq", confirm.get("seq").asLong() + 100)));
                assertThat(c.await("error.validation").path("metadata").path("field").asText()).isEqualTo("content.seq");
            }
            try (Client c = Client.connect(server.uri("alice"))) {
                c.await("system.connected");
                c.send(reconnect(sid, null).toString());
                JsonNode first = c.await(n -> n.has("seq") || n.path("event").asText().equals("system.notice"), "replay");
                assertThat(first.get("seq").asLong()).isEqualTo(4);
            }
        }
    }

    @Test
    void afterARestartSessionsResumeWithTheirHistoryAndSeqContinues() throws Exception {
        String sid;
        long lastSeen;
        long top;
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            try (Client c = Client.connect(server.uri("alice"))) {
                sid = c.createSession();
                c.send(Client.envelope("user.message").put("session_id", sid).set("content", Client.JSON.createObjectNode().put("text", "persist me")));
                lastSeen = c.await("plan.start").get("seq").asLong();
                top = c.await("agent.user_confirm").get("seq").asLong();
            }
        }
        try (Harness server = new Harness(dir, Harness.Settings.defaults())) {
            try (Client c = Client.connect(server.uri("alice"))) {
                c.await("system.connected");
                c.send(reconnect(sid, lastSeen).toString());
                List<JsonNode> replay = c.collectUntil("system.notice");
                assertThat(seqs(replay)).first().isEqualTo(lastSeen + 1);
                // the graceful shutdown ended the waiting run: its cancellation is part of the stored history
                List<String> names = replay.stream().map(n -> n.path("event").asText()).toList();
                assertThat(names).containsSubsequence("agent.user_confirm", "plan.cancelled", "pipeline.completed", "system.notice");
                List<Long> replayed = seqs(replay);
                for (int i = 1; i < replayed.size(); i++) assertThat(replayed.get(i)).isEqualTo(replayed.get(i - 1) + 1);
                top = replayed.get(replayed.size() - 1);
                c.send(Client.envelope("user.message").put("session_id", sid)
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set("content", Client.JSON.createObjectNode().put("text", "again"))
                        .set("metadata", Client.JSON.createObjectNode().put("confirm", false)));
                JsonNode next = c.await("plan.start");
                assertThat(next.get("seq").asLong()).isEqualTo(top + 1);
            }
        }
    }
}
