package io.agentwire.dialect.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real SDK's REST calls on the mesh port (docs/mesh.md, "REST"), with Node's fetch and an agent key. */
@Tag("integration")
class MeshRestTest {
    @TempDir
    Path dir;

    @Test
    void channelMessagesHistoryMemoryAndAgentContextWithAnAgentKey() throws Exception {
        try (MeshHarness h = new MeshHarness(dir, Map.of())) {
            JsonNode r = h.run("rest", Map.of());
            assertEquals(0, r.path("failures").size(), () -> "failures: " + r.path("failures").toPrettyString());
        }
    }
}
