package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.mcp.McpServerConfig;
import io.agentwire.agent.mcp.McpStartException;
import io.agentwire.agent.mcp.McpToolbox;
import io.agentwire.agent.mcp.ToolOutcome;
import io.agentwire.core.ErrorCode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The MCP toolbox against the real {@code @modelcontextprotocol/server-everything}, over stdio and streamable HTTP. */
@Tag("integration")
class McpToolboxTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static McpToolbox tools;

    @BeforeAll
    static void start() {
        tools = McpToolbox.start(List.of(EverythingServer.stdio("everything")), START, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (tools != null) tools.close();
    }

    /** Runs {@code body} inside a real run (tool calls take the run's context) and waits for its end. */
    private static JsonNode inRun(MemorySink sink, AgentRuntime[] holder, Fixtures.Body body) {
        AgentRuntime rt = new AgentRuntime(sink, List.of(agent("t", body)), "t", AgentRuntimeConfig.defaults());
        holder[0] = rt;
        String runId = started(rt.start(message("s1", null, "hi")));
        JsonNode end = sink.awaitEnd(runId);
        rt.shutdown(MemorySink.GUARD);
        return end;
    }

    @Test
    void listsTheServersToolsAsOpenAiFunctions() {
        assertThat(tools.names()).contains("everything__echo", "everything__get-sum", "everything__trigger-long-running-operation");
        JsonNode echo = null;
        for (JsonNode t : tools.openAiTools()) if (t.at("/function/name").asText().equals("everything__echo")) echo = t;
        assertThat(echo).isNotNull();
        assertThat(echo.path("type").asText()).isEqualTo("function");
        assertThat(echo.at("/function/description").asText()).isEqualTo("Echoes back the input string");
        assertThat(echo.at("/function/parameters/properties/message/type").asText()).isEqualTo("string");
    }

    @Test
    void callsATool() {
        AtomicReference<ToolOutcome> echo = new AtomicReference<>();
        AtomicReference<ToolOutcome> sum = new AtomicReference<>();
        inRun(new MemorySink(), new AgentRuntime[1], (r, ctx) -> {
            echo.set(tools.call("everything__echo", "{\"message\":\"hello MCP\"}", ctx));
            sum.set(tools.call("everything__get-sum", "{\"a\":2,\"b\":40}", ctx));
        });
        assertThat(echo.get()).isEqualTo(ToolOutcome.ok("Echo: hello MCP"));
        assertThat(sum.get().isError()).isFalse();
        assertThat(sum.get().text()).contains("42");
    }

    @Test
    void failuresAreOutcomesNotExceptions() {
        AtomicReference<ToolOutcome> badArgs = new AtomicReference<>();
        AtomicReference<ToolOutcome> notJson = new AtomicReference<>();
        AtomicReference<ToolOutcome> unknown = new AtomicReference<>();
        JsonNode end = inRun(new MemorySink(), new AgentRuntime[1], (r, ctx) -> {
            badArgs.set(tools.call("everything__get-sum", "{\"a\":\"two\"}", ctx));
            notJson.set(tools.call("everything__echo", "{message: oops", ctx));
            unknown.set(tools.call("everything__nope", "{}", ctx));
        });
        assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
        assertThat(badArgs.get().isError()).isTrue();
        assertThat(badArgs.get().code()).isEqualTo(ErrorCode.TOOL_FAILED);
        assertThat(notJson.get().isError()).isTrue();
        assertThat(notJson.get().text()).startsWith("the arguments are not a JSON object");
        assertThat(unknown.get().isError()).isTrue();
        assertThat(unknown.get().text()).startsWith("no tool named everything__nope");
    }

    @Test
    void aCallOverItsTimeIsATimeoutOutcome() {
        try (McpToolbox slow = McpToolbox.start(List.of(EverythingServer.stdio("slow")), START, Duration.ofMillis(300))) {
            AtomicReference<ToolOutcome> outcome = new AtomicReference<>();
            AtomicReference<ToolOutcome> next = new AtomicReference<>();
            JsonNode end = inRun(new MemorySink(), new AgentRuntime[1], (r, ctx) -> {
                outcome.set(slow.call("slow__trigger-long-running-operation", "{\"duration\":30,\"steps\":2}", ctx));
                next.set(slow.call("slow__echo", "{\"message\":\"after\"}", ctx));
            });
            assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
            assertThat(outcome.get()).isEqualTo(ToolOutcome.timedOut("the tool did not answer within 300 ms"));
            assertThat(outcome.get().code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(next.get()).isEqualTo(ToolOutcome.ok("Echo: after")); // the server still serves
        }
    }

    @Test
    void aServerThatCanNotStartIsAClearError() {
        McpServerConfig broken = McpServerConfig.stdio("broken", "node", List.of("-e", "process.exit(3)"), Map.of());
        // a minute to start, but the process is watched: its exit is the failure, not the timeout
        assertThatThrownBy(() -> McpToolbox.start(List.of(broken), Duration.ofMinutes(1), Duration.ofSeconds(3)))
                .isInstanceOf(McpStartException.class)
                .hasMessage("MCP server broken: could not be started (stdio: node -e process.exit(3)): the process exited");
    }

    @Test
    void aCrashedServersCallsFailAsOutcomes() {
        Set<Long> before = childPids();
        McpServerConfig crashing = EverythingServer.stdio("crashing");
        try (McpToolbox own = McpToolbox.start(List.of(crashing), START, Duration.ofMinutes(5))) {
            Set<Long> started = childPids();
            started.removeAll(before);
            assertThat(started).as("the new server process").hasSize(1);
            AtomicReference<ToolOutcome> during = new AtomicReference<>();
            AtomicReference<ToolOutcome> after = new AtomicReference<>();
            JsonNode end = inRun(new MemorySink(), new AgentRuntime[1], (r, ctx) -> {
                // the server is killed in the middle of a call that would take 5 minutes
                Thread killer = Thread.ofVirtual().start(() -> {
                    sleep(Duration.ofMillis(500));
                    ProcessHandle.of(started.iterator().next()).ifPresent(ProcessHandle::destroyForcibly);
                });
                during.set(own.call("crashing__trigger-long-running-operation", "{\"duration\":300,\"steps\":2}", ctx));
                killer.join();
                after.set(own.call("crashing__echo", "{\"message\":\"anyone?\"}", ctx));
            });
            assertThat(end.at("/metadata/status").asText()).isEqualTo("completed");
            assertThat(during.get().isError()).isTrue();
            assertThat(during.get().text()).contains("the MCP server crashing exited");
            assertThat(after.get().isError()).isTrue();
            assertThat(after.get().text()).contains("the MCP server crashing is not running");
        }
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toCollection(HashSet::new));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void speaksStreamableHttpToo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("node", EverythingServer.script().toString(), "streamableHttp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", Integer.toString(port));
        Process node = pb.start();
        try {
            awaitPort(port);
            try (McpToolbox http = McpToolbox.start(
                    List.of(McpServerConfig.http("web", URI.create("http://127.0.0.1:" + port + "/mcp"))), START,
                    Duration.ofSeconds(20))) {
                assertThat(http.names()).contains("web__echo");
                AtomicReference<ToolOutcome> echo = new AtomicReference<>();
                inRun(new MemorySink(), new AgentRuntime[1], (r, ctx) -> echo.set(http.call("web__echo", "{\"message\":\"over http\"}", ctx)));
                assertThat(echo.get()).isEqualTo(ToolOutcome.ok("Echo: over http"));
            }
        } finally {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) node.destroyForcibly();
        }
    }

    private static void awaitPort(int port) {
        Fixtures.awaitTrue(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "the MCP HTTP server listens on " + port);
    }
}
