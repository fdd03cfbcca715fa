package io.agentwire.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.server.JsonSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 3 end to end: the server process is killed with SIGKILL mid-run and started again on the same data.
 * The client resumes with every stored event, and new seq values continue above them.
 */
@Tag("integration")
class KillAndRestartTest {
    @TempDir Path dir;

    @Test
    void aSessionSurvivesKillMinus9AndItsSeqContinues() throws Exception {
        Path data = dir.resolve("data");
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, """
                agentwire.agents.demo.step-delay = 40ms
                agentwire.agents.demo.confirm-plan = false
                """);
        String sid;
        long lastSeen;
        List<Long> seen = new ArrayList<>();
        try (ServerProcess first = ServerProcess.start(data, conf, dir.resolve("first.log"));
             JsonSocket c = new JsonSocket(first.ws())) {
            c.awaitEvent("system.connected");
            c.send("{\"event\":\"user.create_session\"}");
            sid = c.awaitEvent("agent.session_created").path("content").path("session_id").asText();
            c.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"survive a crash\"}}");
            c.awaitEvent("solver.start");
            first.kill(); // mid-run
            for (JsonNode n : c.all) if (n.has("seq")) seen.add(n.get("seq").asLong());
            lastSeen = seen.get(seen.size() - 1);
        }
        for (int i = 0; i < seen.size(); i++) assertThat(seen.get(i)).isEqualTo(i + 1L);

        try (ServerProcess second = ServerProcess.start(data, conf, dir.resolve("second.log"));
             JsonSocket c = new JsonSocket(second.ws())) {
            c.awaitEvent("system.connected");
            // resume from the middle of what we saw: everything after it that was stored comes back, in order
            long from = lastSeen / 2;
            c.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":" + from + "}}");
            JsonNode notice = c.awaitEvent("system.notice");
            assertThat(notice.path("content").path("code").asText()).isEqualTo("RESUMED");
            List<Long> replayed = new ArrayList<>();
            for (JsonNode n : c.all) if (n.has("seq")) replayed.add(n.get("seq").asLong());
            assertThat(replayed).isNotEmpty();
            for (int i = 0; i < replayed.size(); i++) assertThat(replayed.get(i)).isEqualTo(from + 1 + i);
            long stored = replayed.get(replayed.size() - 1);
            // the run the kill interrupted was ended at start-up, so the client is not left waiting for it
            List<String> names = c.all.stream().filter(n -> n.has("seq")).map(n -> n.path("event").asText()).toList();
            assertThat(names).endsWith("agent.error", "pipeline.completed");
            JsonNode last = c.all.stream().filter(n -> n.has("seq")).reduce((a, b) -> b).orElseThrow();
            assertThat(last.path("metadata").path("status").asText()).isEqualTo("interrupted");
            assertThat(c.all).anyMatch(n -> "RUN_INTERRUPTED".equals(n.path("metadata").path("code").asText()));
            assertThat(stored).as("every event the client saw was stored").isGreaterThanOrEqualTo(lastSeen);
            assertThat(notice.path("metadata").path("to_seq").asLong()).isEqualTo(stored);

            c.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"and go on\"}}");
            JsonNode next = c.awaitEvent("plan.start");
            assertThat(next.get("seq").asLong()).as("seq continues above the stored ones").isEqualTo(stored + 1);
            c.awaitEvent("pipeline.completed");
        }
    }
}
