package io.agentwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript SDK's own tests ({@code clients/js/test}, {@code node --test}) against the real server started
 * here, with the {@code ws} package and with the runtime's global WebSocket (the browser API; Node 20 needs
 * {@code --experimental-websocket} for it).
 */
@Tag("integration")
class JsClientTest {
    @TempDir Path dir;

    @Test
    void theJavaScriptSdkPassesItsTestsAgainstTheRealServer() throws Exception {
        Path sdk = Path.of("..", "clients", "js").toAbsolutePath().normalize();
        assertThat(sdk.resolve("node_modules/ws")).as("npm ci has run in " + sdk + " (Maven does it in generate-test-resources)").exists();
        try (TestServer server = new TestServer(dir.resolve("data"));
             TestServer smallWindow = new TestServer(dir.resolve("small-window"), null, java.util.Map.of("agentwire.history.size", 3))) {
            Path out = dir.resolve("node.out");
            int major = nodeMajor();
            assertThat(major).as("Node.js >= 20 on the PATH (the SDK's engines)").isGreaterThanOrEqualTo(20);
            List<String> cmd = major < 22
                    ? List.of("node", "--experimental-websocket", "--test", "--test-reporter=tap", "test/")
                    : List.of("node", "--test", "--test-reporter=tap", "test/");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(sdk.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("AGENTWIRE_URL", server.ws().toString());
            pb.environment().put("AGENTWIRE_SMALL_WINDOW_URL", smallWindow.ws().toString());
            pb.environment().put("AGENTWIRE_TOKEN", TestServer.token("js-sdk"));
            pb.environment().put("AGENTWIRE_REQUIRE_GLOBAL_WS", "1");
            Process node = pb.start();
            boolean finished = node.waitFor(240, TimeUnit.SECONDS);
            if (!finished) node.destroyForcibly();
            String output = Files.readString(out);
            output.lines().filter(l -> l.startsWith("# ") || l.contains("ok ")).forEach(System.out::println);
            assertThat(finished).as("node --test finished:\n" + output).isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            assertThat(count(output, "pass")).as(output).isGreaterThanOrEqualTo(20);
            assertThat(count(output, "fail")).as(output).isZero();
            assertThat(count(output, "skipped")).as(output).isZero();
            assertThat(output).contains("with the ws package", "with the global WebSocket");
        }
    }

    private static int count(String tap, String what) {
        Matcher m = Pattern.compile("^# " + what + " (\\d+)$", Pattern.MULTILINE).matcher(tap);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static int nodeMajor() throws Exception {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return Integer.parseInt(v.replaceFirst("^v(\\d+).*", "$1"));
    }
}
