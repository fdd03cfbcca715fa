package io.agentwire.transport.socketio;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without its npm packages the harness fails the test, saying how to install them; it never skips. */
@Tag("integration")
class NodeHarnessTest {

    @Test
    void aHarnessWithoutNodeModulesFailsWithTheInstallCommand(@TempDir Path empty) throws Exception {
        Files.copy(NodeHarness.DIR.resolve("harness.mjs"), empty.resolve("harness.mjs"));
        assertThatThrownBy(() -> NodeHarness.run(empty, "websocket", 1))
                .isInstanceOf(AssertionError.class)
                .isNotInstanceOf(org.opentest4j.TestAbortedException.class)
                .hasMessageContaining("socket.io-client is not installed in " + empty.toAbsolutePath())
                .hasMessageContaining("npm ci --prefix transport/src/test/js");
    }
}
