package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger served = new AtomicInteger(-1);

    /** Runs the command line in-process; a server that starts is closed at once (its port recorded). */
    private int run(Map<String, String> env, String... args) {
        return Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true), server -> {
            served.set(server.port());
            server.close();
        });
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private String errLines() {
        return err.toString().strip();
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("agentwire " + VersionInfo.version());
        assertThat(VersionInfo.version()).isNotEqualTo("unknown");
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: agentwire").contains("serve");
        out.getBuffer().setLength(0);
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--config=FILE", "--host=HOST", "--port=PORT", "--data-dir=DIR", "--dev");
        assertThat(errLines()).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(errLines()).isEqualTo("agentwire: missing command (see 'agentwire --help')");
    }

    @Test
    void badFlagsGiveOneLineAndExitCode2() {
        assertThat(run("serve", "--prot")).isEqualTo(2);
        assertThat(errLines()).startsWith("agentwire: Unknown option: '--prot'").doesNotContain("\n")
                .endsWith("(see 'agentwire serve --help')");
        err.getBuffer().setLength(0);
        assertThat(run("serve", "--port", "eighty")).isEqualTo(2);
        assertThat(errLines()).startsWith("agentwire: Invalid value for option '--port': 'eighty' is not an int")
                .doesNotContain("\n");
    }

    @Test
    void badConfigurationGivesOneLineAndExitCode2() throws IOException {
        assertThat(run("serve", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(errLines()).isEqualTo("agentwire: configuration error: "
                + "agentwire.auth.jwt.secret (AGENTWIRE_JWT_SECRET) is required unless --dev");
        err.getBuffer().setLength(0);
        assertThat(run("serve", "--dev", "--port", "70000")).isEqualTo(2);
        assertThat(errLines()).isEqualTo("agentwire: configuration error: "
                + "agentwire.http.port: port must be 0..65535, was 70000 (command line)");
        err.getBuffer().setLength(0);
        Path conf = Files.writeString(dir.resolve("bad.conf"), "agentwire.history.size = 0");
        assertThat(run("serve", "--dev", "--config", conf.toString())).isEqualTo(2);
        assertThat(errLines()).startsWith("agentwire: configuration error: agentwire.history.size:")
                .doesNotContain("\n");
        assertThat(served.get()).isEqualTo(-1);
    }

    @Test
    void aPortInUseGivesExitCode1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int code = run("serve", "--dev", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()),
                    "--data-dir", dir.toString());
            assertThat(code).isEqualTo(1);
            assertThat(errLines()).startsWith("agentwire: can not start: can not listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\n");
        }
        assertThat(served.get()).isEqualTo(-1);
    }

    @Test
    void serveStartsWithFlagsAndEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET);
        env.put("AGENTWIRE_HTTP_PORT", "1"); // the flag wins
        env.put("AGENTWIRE_TRACKING_PORT", "0");
        int code = run(env, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString());
        assertThat(code).as(errLines()).isZero();
        assertThat(served.get()).isPositive();
        assertThat(dir.resolve("agentwire.db")).exists();
    }
}
