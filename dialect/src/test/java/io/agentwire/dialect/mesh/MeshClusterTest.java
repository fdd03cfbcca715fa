package io.agentwire.dialect.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh dialect on two nodes sharing one real redis-server started by the test (cluster mode's broker, event log,
 * sessions, presence and recovery records), driven by the official socket.io-client with members on both nodes.
 */
@Tag("integration")
class MeshClusterTest {
    @TempDir
    Path dir;

    @Test
    void encryptedMxpReachesMembersOnBothNodesSealedForEach() throws Exception {
        Map<String, Object> mxp = Map.of("agentwire.mesh.mxp.key", "mxp-test-secret", "agentwire.mesh.mxp.salt", "salt-1");
        try (RedisServer redis = RedisServer.start();
             MeshHarness a = new MeshHarness(Files.createDirectories(dir.resolve("a")), mxp, Map.of(), redis.uri());
             MeshHarness b = new MeshHarness(Files.createDirectories(dir.resolve("b")), mxp, Map.of(), redis.uri())) {
            JsonNode r = a.run("mxpCluster", Map.of("mxpKey", "mxp-test-secret", "mxpSalt", "salt-1",
                    "baseB", "http://127.0.0.1:" + b.meshPort));
            assertEquals(0, r.path("failures").size(), () -> "failures: " + r.path("failures").toPrettyString());
        }
    }

    @Test
    void theAgentRegistryAnswersForTheWholeClusterAndReassignsOnce() throws Exception {
        Map<String, Object> conf = Map.of("agentwire.mesh.tasks.reassign-after-drop", "300ms");
        try (RedisServer redis = RedisServer.start();
             MeshHarness a = new MeshHarness(Files.createDirectories(dir.resolve("a")), conf, Map.of(), redis.uri());
             MeshHarness b = new MeshHarness(Files.createDirectories(dir.resolve("b")), conf, Map.of(), redis.uri())) {
            JsonNode r = a.run("agentsCluster", Map.of("baseB", "http://127.0.0.1:" + b.meshPort));
            assertEquals(0, r.path("failures").size(), () -> "failures: " + r.path("failures").toPrettyString());
        }
    }
}
