package io.agentwire.agent.toolsmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.agent.RunCancelledException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escape attempts from the real bubblewrap sandbox: each fails inside it, is reported as a failed execution, and
 * leaves the machine (this JVM, its files, its sockets) untouched.
 */
@Tag("integration")
class SandboxTest {
    private static final SandboxLimits LIMITS = new SandboxLimits(Duration.ofSeconds(20), 3, 256L << 20, 32, 1 << 20, 1 << 20);
    private static Sandbox sandbox;
    private static PythonTools python;

    @BeforeAll
    static void open() {
        sandbox = Sandbox.create(ToolsmithConfig.SandboxMode.BWRAP, LIMITS);
        assertThat(sandbox.available()).as("bubblewrap must be installed (apt-get install bubblewrap): %s", sandbox.describe()).isTrue();
        python = new PythonTools(sandbox, "/usr/bin/python3");
    }

    @AfterAll
    static void close() {
        sandbox.close();
    }

    private static PythonTools.Execution run(String body) throws Exception {
        String code = "import os, sys, socket, time\n\ndef probe():\n" + body.indent(4);
        return python.execute("probe", code, JsonNodeFactory.instance.objectNode(), null);
    }

    @Test
    void aPlainToolRunsAndReturnsItsResult() throws Exception {
        PythonTools.Execution e = python.execute("add", "def add(a, b):\n    print('adding')\n    return a + b\n",
                JsonNodeFactory.instance.objectNode().put("a", 2).put("b", 40), null);
        assertThat(e.ok()).as(e.error()).isTrue();
        assertThat(e.result()).isEqualTo("42");
    }

    @Test
    void noNetwork() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PythonTools.Execution e = run("s = socket.create_connection(('127.0.0.1', " + server.getLocalPort() + "), timeout=2)\n"
                    + "return 'connected'");
            assertThat(e.ok()).isFalse();
            assertThat(e.error()).contains("ConnectionRefusedError");
            PythonTools.Execution outside = run("socket.create_connection(('1.1.1.1', 53), timeout=2)\nreturn 'out'");
            assertThat(outside.ok()).isFalse();
            assertThat(outside.error()).containsAnyOf("unreachable", "OSError", "timed out");
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class); // nobody reached it
        }
    }

    @Test
    void noWritesOutsideTheScratchDirectory(@TempDir Path dir) throws Exception {
        Path victim = dir.resolve("victim.txt");
        PythonTools.Execution host = run("open(" + quote(victim) + ", 'w').write('pwned')\nreturn 'written'");
        assertThat(host.ok()).isFalse();
        assertThat(host.error()).contains("FileNotFoundError");
        assertThat(victim).doesNotExist();
        PythonTools.Execution usr = run("open('/usr/agentwire-pwned', 'w').write('x')\nreturn 'written'");
        assertThat(usr.ok()).isFalse();
        assertThat(usr.error()).containsAnyOf("Read-only file system", "PermissionError");
        assertThat(Path.of("/usr/agentwire-pwned")).doesNotExist();
        PythonTools.Execution scratch = run("open('ok.txt', 'w').write('fine')\nreturn open('ok.txt').read()");
        assertThat(scratch.ok()).as(scratch.error()).isTrue();
        assertThat(scratch.result()).isEqualTo("\"fine\"");
    }

    @Test
    void aForkBombIsContained() throws Exception {
        PythonTools.Execution e = run("while True:\n    os.fork()");
        assertThat(e.ok()).isFalse();
        assertThat(e.error()).containsAnyOf("BlockingIOError", "Resource temporarily unavailable", "killed");
        // the machine can still start processes
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aMemoryHogFails() throws Exception {
        PythonTools.Execution e = run("x = bytearray(2 * 1024 ** 3)\nreturn len(x)");
        assertThat(e.ok()).isFalse();
        assertThat(e.error()).contains("MemoryError");
    }

    @Test
    void anEndlessLoopIsKilled() throws Exception {
        PythonTools.Execution e = run("while True:\n    pass");
        assertThat(e.ok()).isFalse();
        assertThat(e.error()).containsAnyOf("killed", "CPU");
    }

    @Test
    void aSleeperIsKilledAtTheWallClock() throws Exception {
        try (Sandbox quick = Sandbox.create(ToolsmithConfig.SandboxMode.BWRAP, LIMITS.withWallTimeout(Duration.ofSeconds(1)))) {
            PythonTools.Execution e = new PythonTools(quick, "/usr/bin/python3").execute("nap",
                    "import time\ndef nap():\n    time.sleep(600)\n", JsonNodeFactory.instance.objectNode(), null);
            assertThat(e.ok()).isFalse();
            assertThat(e.process().timedOut()).isTrue();
            assertThat(e.error()).contains("wall-clock");
        }
    }

    @Test
    void hundredMegabytesOfOutputAreCutOff() throws Exception {
        PythonTools.Execution e = run("for _ in range(100):\n    sys.stdout.write('x' * 1000000)\nreturn 'done'");
        assertThat(e.ok()).isFalse();
        assertThat(e.process().outputExceeded()).isTrue();
        assertThat(e.process().output().length()).isLessThanOrEqualTo(LIMITS.maxOutputBytes());
        assertThat(e.error()).contains("output");
    }

    @Test
    void anInterruptedRunKillsTheProcess() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(run("time.sleep(600)"));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Thread.sleep(500);
        t.interrupt();
        assertThat(outcome.get(15, TimeUnit.SECONDS)).isInstanceOf(RunCancelledException.class);
    }

    @Test
    void verificationRunsPytest() throws Exception {
        String code = "def double(x):\n    return 2 * x\n";
        PythonTools.Verification ok = python.verify("double", code,
                "from double import double\n\ndef test_double():\n    assert double(2) == 4\n", null);
        assertThat(ok.passed()).as(ok.output()).isTrue();
        PythonTools.Verification failing = python.verify("double", code,
                "from double import double\n\ndef test_double():\n    assert double(2) == 5\n", null);
        assertThat(failing.passed()).isFalse();
        assertThat(failing.output()).contains("1 failed");
        PythonTools.Verification broken = python.verify("double", "def double(x) return x\n",
                "from double import double\n", null);
        assertThat(broken.passed()).isFalse();
        assertThat(broken.syntaxError()).isEqualTo("double.py");
    }

    @Test
    void withoutBubblewrapNothingRuns_unlessTheSandboxIsNone(@TempDir Path dir) throws Exception {
        try (Sandbox missing = Sandbox.withBwrap(ToolsmithConfig.SandboxMode.BWRAP, LIMITS, null)) {
            assertThat(missing.available()).isFalse();
            assertThat(missing.describe()).contains("refuses to run generated code", "agentwire.toolsmith.sandbox = none");
            assertThatThrownBy(() -> new PythonTools(missing, "/usr/bin/python3").execute("add",
                    "def add():\n    return 1\n", JsonNodeFactory.instance.objectNode(), null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("bubblewrap");
        }
        try (Sandbox none = Sandbox.withBwrap(ToolsmithConfig.SandboxMode.NONE, LIMITS, null)) {
            assertThat(none.available()).isTrue();
            assertThat(none.describe()).contains("NOT isolated");
            PythonTools.Execution e = new PythonTools(none, "/usr/bin/python3").execute("add",
                    "def add(a, b):\n    return a + b\n", JsonNodeFactory.instance.objectNode().put("a", 1).put("b", 2), null);
            assertThat(e.ok()).as(e.error()).isTrue();
            assertThat(e.result()).isEqualTo("3");
        }
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "\\'") + "'";
    }

    static {
        // a guard: the scratch root must not be the test's working directory
        assertThat(Files.exists(Path.of("/usr/bin/python3"))).as("Debian's python3 (apt-get install python3 python3-pytest)").isTrue();
    }
}
