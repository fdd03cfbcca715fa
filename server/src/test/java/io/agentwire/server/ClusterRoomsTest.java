package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.redis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rooms dialect (spec 004) in cluster mode: two AgentWire nodes on one real redis-server, the official
 * socket.io-client on each. Stats asked of either node count the whole cluster; a backend's event published on one
 * node reaches the room's members on both, once.
 */
@Tag("integration")
class ClusterRoomsTest {
    @TempDir Path dir;

    private AgentWireServer node(String name, RedisServer redis) {
        AgentWireServer s = new AgentWireServer(TestConfigs.production(dir.resolve(name), RoomsServerTest.KEY,
                Map.of("agentwire.cluster.redis", redis.uri(), "agentwire.tracking.enabled", false)));
        s.start();
        return s;
    }

    @Test
    void aRecoveryTokenPresentedOnAnotherNodeByAnotherPrincipalIsRefused() throws Exception {
        try (RedisServer redis = RedisServer.start();
             AgentWireServer a = node("a", redis);
             AgentWireServer b = node("b", redis)) {
            Map<String, Object> p = RoomsHarness.params(a.port("rooms"), RoomsServerTest.KEY);
            p.put("baseB", "http://127.0.0.1:" + b.port("rooms"));
            p.put("tokens", Map.of("alice", TestTokens.hs256("alice", "P1"), "mallory", TestTokens.hs256("mallory")));
            JsonNode r = RoomsHarness.run("stolenPid", p, Duration.ofSeconds(60));
            assertThat(r.path("mallory").path("recovered").asBoolean()).isFalse();
            assertThat(r.path("mallory").path("sameId").asBoolean()).isFalse();
            assertThat(r.path("mallory").path("events").toString())
                    .isEqualTo("[\"connection_established:mallory\",\"agent.status_changed:sentinel\"]");
            assertThat(r.path("alice").path("recovered").asBoolean()).isTrue();
            assertThat(r.path("alice").path("prs").toString()).isEqualTo("[\"missed-P1\"]");
        }
    }

    @Test
    void statsCountEveryNodeAndEventsReachMembersOnEveryNode() throws Exception {
        try (RedisServer redis = RedisServer.start();
             AgentWireServer a = node("a", redis);
             AgentWireServer b = node("b", redis)) {
            Map<String, Object> p = RoomsHarness.params(a.port("rooms"), RoomsServerTest.KEY);
            p.put("baseB", "http://127.0.0.1:" + b.port("rooms"));
            p.put("apiB", "http://127.0.0.1:" + b.port("rooms"));
            p.put("project", "P7");
            p.put("tokens", Map.of("alice", TestTokens.hs256("alice", "P7"), "bob", TestTokens.hs256("bob", "P7")));
            JsonNode r = RoomsHarness.run("cluster", p, Duration.ofSeconds(60));

            assertThat(r.path("subs").findValuesAsText("status")).containsOnly("success");
            String expected = "{\"connections\":2,\"rooms\":{\"global\":2,\"project:P7\":2,\"user:alice\":1,\"user:bob\":1}}";
            assertThat(r.path("statsA").path("body")).isEqualTo(JsonSocket.JSON.readTree(expected));
            assertThat(r.path("statsB").path("body")).isEqualTo(JsonSocket.JSON.readTree(expected));
            assertThat(r.path("published").asInt()).isEqualTo(202);
            assertThat(r.path("got").path("alice").toString()).isEqualTo("[\"wf-cluster\"]");
            assertThat(r.path("got").path("bob").toString()).isEqualTo("[\"wf-cluster\"]");
            assertThat(r.path("afterLeave").path("body")).isEqualTo(JsonSocket.JSON.readTree(
                    "{\"connections\":1,\"rooms\":{\"global\":1,\"project:P7\":1,\"user:alice\":1}}"));
        }
    }
}
