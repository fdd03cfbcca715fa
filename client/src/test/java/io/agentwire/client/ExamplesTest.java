package io.agentwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples on the SDK, as a user runs them: the reference remote agent (examples/remote-agent) registers a
 * name, and the envelope example (examples/envelope-client, on @agentwire/client) picks it with {@code --agent},
 * with a JWT from {@code AGENTWIRE_TOKEN}, drops its connection mid-run and resumes.
 */
@Tag("integration")
class ExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final String API_KEY = "examples-test-api-key-0123456789";

    @TempDir Path dir;

    @Test
    void theEnvelopeExamplePicksARemoteAgentAndResumesAcrossADrop() throws Exception {
        for (String example : List.of("envelope-client/node_modules/@agentwire/client", "envelope-client/node_modules/ws", "remote-agent/node_modules/ws")) {
            assertThat(EXAMPLES.resolve(example)).as("npm ci has run (the server module's build does it)").exists();
        }
        try (TestServer server = new TestServer(dir.resolve("data"), API_KEY)) {
            ProcessBuilder agentPb = new ProcessBuilder("node", "remote-agent.mjs", "ws://127.0.0.1:" + server.port + "/agents",
                    "--name", "scripted-test", "--step-delay", "50")
                    .directory(EXAMPLES.resolve("remote-agent").toFile()).redirectErrorStream(true);
            agentPb.environment().put("AGENTWIRE_API_KEY", API_KEY);
            Process agent = agentPb.start();
            List<String> agentLines = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) agentLines.add(line);
                } catch (Exception e) {
                    // the process is gone
                }
            });
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (agentLines.stream().noneMatch(l -> l.contains("\"registered\""))) {
                    assertThat(System.nanoTime()).as("the agent registered: " + agentLines).isLessThan(deadline);
                    assertThat(agent.isAlive()).as("the agent runs: " + agentLines).isTrue();
                    Thread.sleep(50);
                }

                Result ok = runExample(server, TestServer.token("bob"), "--agent", "scripted-test");
                assertThat(ok.exit).as(ok.output).isZero();
                JsonNode summary = Json.MAPPER.readTree(ok.output.lines().filter(l -> l.contains("\"summary\"")).findFirst().orElseThrow());
                assertThat(summary.path("agent").asText()).isEqualTo("scripted-test");
                assertThat(summary.path("status").asText()).isEqualTo("completed");
                assertThat(summary.path("resumed").asBoolean()).isTrue();
                assertThat(summary.path("problems").asInt()).isZero();
                assertThat(summary.path("events").asLong()).isEqualTo(summary.path("last_seq").asLong());
                String runId = summary.path("run_id").asText();
                assertThat(agentLines).anyMatch(l -> l.contains("\"run.start\"") && l.contains(runId));

                Result unknown = runExample(server, TestServer.token("bob"), "--agent", "nobody");
                assertThat(unknown.exit).as(unknown.output).isEqualTo(1);
                assertThat(unknown.output).contains("AGENT_NOT_FOUND");

                Result noToken = runExample(server, null);
                assertThat(noToken.exit).as(noToken.output).isEqualTo(2);
                assertThat(noToken.output).contains("AUTH_FAILED", "AGENTWIRE_TOKEN");
            } finally {
                agent.destroyForcibly();
                agent.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private record Result(int exit, String output) { }

    private Result runExample(TestServer server, String token, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("node", "envelope-client.mjs", server.ws().toString(), "What is AgentWire?"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "example", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(EXAMPLES.resolve("envelope-client").toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        if (token != null) pb.environment().put("AGENTWIRE_TOKEN", token);
        else pb.environment().remove("AGENTWIRE_TOKEN");
        Process p = pb.start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) p.destroyForcibly();
        String output = Files.readString(out);
        assertThat(finished).as("example finished: " + output).isTrue();
        return new Result(p.exitValue(), output);
    }
}
