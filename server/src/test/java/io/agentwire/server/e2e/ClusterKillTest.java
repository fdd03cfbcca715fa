package io.agentwire.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.redis.RedisServer;
import io.agentwire.server.JsonSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 3 in a cluster: a node (a separate process) is killed with SIGKILL mid-run; its client reconnects to another
 * node and resumes with no gap and no duplicate, and every event any client saw is in the durable history.
 */
@Tag("integration")
class ClusterKillTest {
    @TempDir Path dir;

    @Test
    void aClientOfAKilledNodeResumesOnAnotherNodeWithNoGapAndNoDuplicate() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Path conf = dir.resolve("cluster.conf");
            Files.writeString(conf, """
                    agentwire.cluster.redis = "%s"
                    agentwire.agents.demo.step-delay = 40ms
                    agentwire.agents.demo.confirm-plan = false
                    agentwire.cluster.presence-heartbeat = 300ms
                    """.formatted(redis.uri()));
            try (ServerProcess first = ServerProcess.start(dir.resolve("a"), conf, dir.resolve("a.log"));
                 ServerProcess second = ServerProcess.start(dir.resolve("b"), conf, dir.resolve("b.log"));
                 JsonSocket onFirst = new JsonSocket(first.ws());
                 JsonSocket watcher = new JsonSocket(second.ws())) {
                onFirst.awaitEvent("system.connected");
                onFirst.send("{\"event\":\"user.create_session\"}");
                String sid = onFirst.awaitEvent("agent.session_created").path("content").path("session_id").asText();
                // a client of the same session on the other process, live
                watcher.awaitEvent("system.connected");
                watcher.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":0}}");
                watcher.awaitEvent("system.notice");
                onFirst.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"survive a node\"}}");
                onFirst.awaitEvent("solver.start");
                first.kill(); // mid-run: no goodbye
                Map<Long, String> seen = events(onFirst);
                long lastSeen = seen.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                assertThat(seen.keySet()).as("contiguous before the kill").hasSize((int) lastSeen);
                // the other process's client saw the same events in the same order, up to where it got
                long lastSeenByWatcher = lastSeen;
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (events(watcher).size() < lastSeenByWatcher && System.nanoTime() < deadline) Thread.sleep(20);
                Map<Long, String> watched = events(watcher);
                assertThat(new ArrayList<>(watched.keySet()).subList(0, (int) lastSeen)).isEqualTo(new ArrayList<>(seen.keySet()));
                for (Map.Entry<Long, String> e : seen.entrySet()) assertThat(watched.get(e.getKey())).isEqualTo(e.getValue());

                try (JsonSocket onSecond = new JsonSocket(second.ws())) {
                    onSecond.awaitEvent("system.connected");
                    onSecond.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":" + lastSeen + "}}");
                    JsonNode notice = onSecond.awaitEvent("system.notice");
                    assertThat(notice.path("content").path("code").asText()).isEqualTo("RESUMED");
                    long stored = notice.path("metadata").path("to_seq").asLong();
                    assertThat(stored).as("every event the client saw is stored").isGreaterThanOrEqualTo(lastSeen);
                    // the surviving node ends the dead node's run, so the client is not left waiting for it
                    JsonNode completed = onSecond.awaitEvent("pipeline.completed");
                    assertThat(completed.path("metadata").path("status").asText()).isEqualTo("interrupted");
                    assertThat(onSecond.all).anyMatch(n -> "RUN_INTERRUPTED".equals(n.path("metadata").path("code").asText()));
                    List<Long> after = seqs(onSecond);
                    List<Long> expected = new ArrayList<>();
                    for (long s = lastSeen + 1; s <= lastSeen + after.size(); s++) expected.add(s);
                    assertThat(after).as("exactly the events after the last one seen, then the interruption").isEqualTo(expected);
                    assertThat(after.get(after.size() - 1)).isGreaterThanOrEqualTo(stored);
                    stored = after.get(after.size() - 1);

                    // the whole history, read from the surviving node, holds what the first client saw, unchanged
                    try (JsonSocket full = new JsonSocket(second.ws())) {
                        full.awaitEvent("system.connected");
                        full.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":0}}");
                        full.awaitEvent("system.notice");
                        Map<Long, String> history = events(full);
                        for (Map.Entry<Long, String> e : seen.entrySet()) assertThat(history.get(e.getKey())).isEqualTo(e.getValue());
                        assertThat(history.keySet()).hasSize((int) stored);
                    }

                    // the session goes on on the surviving node, its seq above everything stored
                    onSecond.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"go on\"}}");
                    JsonNode next = onSecond.awaitEvent("plan.start");
                    assertThat(next.get("seq").asLong()).isEqualTo(stored + 1);
                    onSecond.awaitEvent("pipeline.completed");
                }
            }
        }
    }

    /** seq → the event as received (without the per-connection field). */
    static Map<Long, String> events(JsonSocket c) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (JsonNode n : c.all) {
            if (!n.has("seq")) continue;
            com.fasterxml.jackson.databind.node.ObjectNode copy = n.deepCopy();
            copy.remove("connection_id");
            assertThat(out.put(n.get("seq").asLong(), copy.toString())).as("duplicate seq " + n.get("seq")).isNull();
        }
        return out;
    }

    static List<Long> seqs(JsonSocket c) {
        List<Long> out = new ArrayList<>();
        for (JsonNode n : c.all) if (n.has("seq")) out.add(n.get("seq").asLong());
        return out;
    }
}
