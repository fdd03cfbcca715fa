package io.agentwire.dialect.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentwire.mesh.tasks.reassign-after-drop}: the task of an assignee whose connection dropped goes to the next
 * match once the configured wait is over. The scenario waits at most 8 s, so it passes with a short wait and fails
 * with the 10 s default.
 */
@Tag("integration")
class MeshReassignTest {
    @TempDir
    Path dir;

    @Test
    void aDroppedAssigneesTaskIsReassignedAfterTheConfiguredWait() throws Exception {
        try (MeshHarness h = new MeshHarness(dir, Map.of("agentwire.mesh.tasks.reassign-after-drop", "300ms"))) {
            JsonNode r = h.run("dropReassign", Map.of());
            assertEquals(0, r.path("failures").size(), () -> "failures: " + r.path("failures").toPrettyString());
        }
    }
}
