package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.DemoAgent;
import io.agentwire.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress dialect on two nodes sharing one real redis-server (cluster mode's broker, event log, sessions and
 * recovery records): a session's memory written through one node is read, and continued, through the other, and
 * it outlives both nodes.
 */
@Tag("integration")
class ClusterProgressTest {
    @TempDir Path dir;

    @Test
    void sessionMemoryIsSharedByTheNodesAndOutlivesThem() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String sid;
            try (ProgressHarness a = new ProgressHarness(ProgressHarness.Backend.redis(redis.uri()),
                    Files.createDirectories(dir.resolve("a")), ProgressSettings.TEST, DemoAgent.NAME, Optional.empty());
                 ProgressHarness b = new ProgressHarness(ProgressHarness.Backend.redis(redis.uri()),
                         Files.createDirectories(dir.resolve("b")), ProgressSettings.TEST, DemoAgent.NAME, Optional.empty())) {
                JsonNode first = a.js("once", "48", Map.of("prompt", "asked on node a"));
                sid = first.path("sid").asText();
                JsonNode onB = ProgressRestTest.get(b, "/api/session/" + sid + "/messages").json().path("messages");
                assertThat(onB).hasSize(2);
                assertThat(onB.get(0).path("content").asText()).isEqualTo("asked on node a");

                JsonNode second = b.js("once", "454", Map.of("prompt", "asked on node b", "sid", sid));
                assertThat(ProgressSocketTest.names(second.path("got")))
                        .containsExactlyElementsOf(ProgressSocketTest.turn(ProgressSocketTest.DEMO));
                JsonNode memory = second.path("got").get(ProgressSocketTest.DEMO.size() + 1).path("payload").path("messages");
                assertThat(memory).hasSize(4);
                assertThat(memory.get(2).path("content").asText()).isEqualTo("asked on node b");
                assertThat(memory.get(3).path("message_index").asInt()).isEqualTo(3);
            }
            try (ProgressHarness c = new ProgressHarness(ProgressHarness.Backend.redis(redis.uri()),
                    Files.createDirectories(dir.resolve("c")), ProgressSettings.TEST, DemoAgent.NAME, Optional.empty())) {
                assertThat(ProgressRestTest.get(c, "/api/session/" + sid + "/messages").json().path("count").asInt())
                        .isEqualTo(4);
            }
        }
    }
}
