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
    void checkConfigPrintsTheEffectiveSettingsWithSecretsMasked() throws IOException {
        Path conf = Files.writeString(dir.resolve("prod.conf"), """
                agentwire.http.port = 9090
                agentwire.cluster.redis = "redis://:hunter2@127.0.0.1:6379"
                agentwire.log.format = json
                """);
        int code = run(Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET, "AGENTWIRE_API_KEY", "key-1234567890abcdef"),
                "check-config", "--config", conf.toString());
        assertThat(code).as(errLines()).isZero();
        String printed = out.toString();
        assertThat(printed)
                .contains("agentwire.http.port = 9090  # " + conf + ":1")
                .contains("agentwire.auth.jwt.secret = \"********\"  # environment variable AGENTWIRE_JWT_SECRET")
                .contains("agentwire.auth.api-key = \"********\"")
                .contains("agentwire.cluster.redis = \"redis://****@127.0.0.1:6379\"")
                .contains("agentwire.log.format = \"json\"")
                .contains("agentwire.envelope.path = \"/ws\"  # default")
                .endsWith("# valid" + System.lineSeparator())
                .doesNotContain(TestConfigs.SECRET).doesNotContain("key-1234567890abcdef").doesNotContain("hunter2");
        assertThat(errLines()).isEmpty();
    }

    @Test
    void checkConfigNamesTheBadKeyAndExits2() throws IOException {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "agentwire.envelope.max-payload = lots\n");
        assertThat(run(Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET), "check-config", "--config", conf.toString()))
                .isEqualTo(2);
        assertThat(errLines()).startsWith("agentwire: configuration error: ").contains("agentwire.envelope.max-payload");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run(Map.of("AGENTWIRE_LOG_FORMAT", "xml"), "check-config", "--dev")).isEqualTo(2);
        assertThat(errLines()).contains("agentwire.log.format: must be text or json, was \"xml\"");

        err.getBuffer().setLength(0);
        assertThat(run(Map.of(), "check-config")).isEqualTo(2);
        assertThat(errLines()).contains("agentwire.auth.jwt.secret (AGENTWIRE_JWT_SECRET) is required unless --dev");
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
        env.put("AGENTWIRE_ROOMS_PORT", "0");
        env.put("AGENTWIRE_PROGRESS_ENABLED", "false"); // port 0 would share rooms' port (both serve /socket.io/)
        env.put("AGENTWIRE_MESH_ENABLED", "false"); // never the documented 3001 in tests
        int code = run(env, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString());
        assertThat(code).as(errLines()).isZero();
        assertThat(served.get()).isPositive();
        assertThat(dir.resolve("agentwire.db")).exists();
    }

    @Test
    void tokenPrintsAJwtSignedWithTheConfiguredSecretThatTheServerAccepts() throws Exception {
        Map<String, String> env = Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET, "AGENTWIRE_JWT_ISSUER", "https://id.example");
        assertThat(run(env, "token", "--sub", "alice", "--projects", "p1, p2", "--roles", "admin", "--ttl", "2h")).as(errLines()).isZero();
        String token = out.toString().strip();
        assertThat(token).doesNotContain("\n").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://id.example");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("projects")).containsExactly("p1", "p2");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("admin");
        long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime().getTime();
        assertThat(ttl).isEqualTo(java.time.Duration.ofHours(2).toMillis());
        JwtAuthenticator server = new JwtAuthenticator(new JwtAuthenticator.Settings(TestConfigs.SECRET,
                java.util.Optional.of("https://id.example"), java.util.Optional.empty(), false), java.time.Clock.systemUTC());
        assertThat(server.check(token)).isInstanceOf(io.agentwire.core.Authenticator.Accepted.class);

        out.getBuffer().setLength(0); // the default lifetime is an hour; the projects claim follows the configuration
        Path conf = Files.writeString(dir.resolve("claim.conf"), "agentwire.rooms.projects-claim = teams");
        assertThat(run(env, "token", "--sub", "bob", "--projects", "t1", "--config", conf.toString())).isZero();
        jwt = com.nimbusds.jwt.SignedJWT.parse(out.toString().strip());
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("teams")).containsExactly("t1");
        assertThat(jwt.getJWTClaimsSet().getClaim("projects")).isNull();
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime().getTime())
                .isEqualTo(3_600_000L);
    }

    @Test
    void tokenWithoutASecretOrWithBadOptionsExitsWith2() {
        assertThat(run("token", "--sub", "alice")).isEqualTo(2);
        assertThat(errLines()).isEqualTo("agentwire: no JWT secret is configured: set AGENTWIRE_JWT_SECRET (at least 32 "
                + "bytes) or agentwire.auth.jwt.secret, the same the server uses");
        assertThat(out.toString()).isEmpty();
        Map<String, String> env = Map.of("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET);
        err.getBuffer().setLength(0);
        assertThat(run(env, "token", "--sub", "alice", "--ttl", "soon")).isEqualTo(2);
        assertThat(errLines()).isEqualTo("agentwire: --ttl must be a duration such as 30m, 1h or 7d, was 'soon'");
        err.getBuffer().setLength(0);
        assertThat(run(env, "token", "--sub", "alice", "--ttl", "0s")).isEqualTo(2);
        err.getBuffer().setLength(0);
        assertThat(run(env, "token")).isEqualTo(2);
        assertThat(errLines()).startsWith("agentwire: Missing required option: '--sub=USER'");
        err.getBuffer().setLength(0);
        assertThat(run(Map.of("AGENTWIRE_JWT_SECRET", "short"), "token", "--sub", "alice")).isEqualTo(2);
        assertThat(errLines()).startsWith("agentwire: configuration error: agentwire.auth.jwt.secret");
        assertThat(out.toString()).isEmpty();
    }
}
