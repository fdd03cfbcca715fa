package io.agentwire.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.server.JsonSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript example client of docs/envelope.md (examples/envelope-client), run with Node against the real
 * server: it creates a session, runs the demo, drops its connection mid-run, resumes, and checks seqs itself.
 */
@Tag("integration")
class ExampleClientTest {
    @TempDir Path dir;

    @Test
    void theDocumentedJavaScriptClientCompletesARunAcrossADrop() throws Exception {
        Path example = Path.of("..", "examples", "envelope-client").toAbsolutePath().normalize();
        assertThat(example.resolve("node_modules/ws")).as("npm ci has run in " + example + " (Maven does it in generate-test-resources)").exists();
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, "agentwire.agents.demo.step-delay = 20ms\n");
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), conf, dir.resolve("server.log"))) {
            Path out = dir.resolve("client.out");
            Process node = new ProcessBuilder("node", "envelope-client.mjs", server.ws().toString(), "What is AgentWire?")
                    .directory(example.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(node.waitFor(90, TimeUnit.SECONDS)).as("client finished").isTrue();
            List<String> lines = Files.readAllLines(out);
            assertThat(node.exitValue()).as(String.join("\n", lines)).isZero();
            JsonNode summary = JsonSocket.JSON.readTree(lines.stream().filter(l -> l.contains("\"summary\"")).findFirst().orElseThrow());
            assertThat(summary.path("status").asText()).isEqualTo("completed");
            assertThat(summary.path("resumed").asBoolean()).isTrue();
            assertThat(summary.path("problems").asInt()).isZero();
            assertThat(summary.path("events").asLong()).isEqualTo(summary.path("last_seq").asLong());
            assertThat(lines).anyMatch(l -> l.contains("\"system.notice\""));
        }
    }
}
