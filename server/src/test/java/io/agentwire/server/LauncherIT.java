package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution ({@code server/target/dist}, built by {@code ./mvnw package}): its {@code bin/agentwire}
 * launcher run as a process the way the README's quick start runs it, on a machine whose {@code java} on the PATH
 * is 17 and whose {@code JAVA_HOME} is 21+.
 */
class LauncherIT {
    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final Pattern HEALTH = Pattern.compile("health\\s+http://([^:/]+):(\\d+)/healthz");

    @TempDir
    static Path tmp;

    static Path launcher;
    /** A JDK 21+: Temurin 25 where it is installed (this machine, CI), else the JDK running the tests. */
    static Path modernJdk;
    /** A directory whose {@code java} is a Java 17 (the machine's default JDK, or a stand-in printing 17). */
    static Path java17Bin;

    @BeforeAll
    static void locate() throws IOException {
        Path dist = Path.of(System.getProperty("agentwire.dist", "target/dist"));
        launcher = dist.resolve("bin/agentwire");
        assertThat(launcher).isExecutable();
        assertThat(dist.resolve("lib/agentwire.jar")).isRegularFile();
        modernJdk = Files.isExecutable(TEMURIN_25.resolve("bin/java")) ? TEMURIN_25
                : Path.of(System.getProperty("java.home"));
        java17Bin = findJava17();
    }

    private static Path findJava17() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path d : dirs.sorted().toList()) {
                    Path release = d.resolve("release");
                    if (Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(release)
                            && Files.readString(release).contains("JAVA_VERSION=\"17")) {
                        return d.resolve("bin");
                    }
                }
            }
        }
        // No JDK 17 installed: a `java` that answers -version as OpenJDK 17 does (the launcher only asks it that).
        Path bin = Files.createDirectories(tmp.resolve("fake-jdk17/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n"
                + "echo 'this stand-in Java 17 can not run anything' >&2\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static ProcessBuilder launch(Map<String, String> env, String... args) {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    private record Result(int exit, String out, String err) { }

    private static Result run(Map<String, String> env, String... args) throws Exception {
        Process p = launch(env, args).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** PATH with the Java 17 first, then the system directories (sh, sed, ls). */
    private static String pathJava17First() {
        return java17Bin + ":/usr/local/bin:/usr/bin:/bin";
    }

    @Test
    void javaHomeWinsOverAnOlderJavaOnThePath() throws Exception {
        Result r = run(Map.of("PATH", pathJava17First(), "JAVA_HOME", modernJdk.toString()), "--version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("agentwire " + VersionInfo.version());
    }

    @Test
    void onlyJava17IsAClearError() throws Exception {
        Result r = run(Map.of("PATH", pathJava17First()), "--version");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("agentwire: needs Java 21 or newer, and found none:")
                .contains("java on the PATH (" + java17Bin.resolve("java") + "): Java 17")
                .contains("set JAVA_HOME");

        Result withHome = run(Map.of("PATH", pathJava17First(), "JAVA_HOME", java17Bin.getParent().toString()),
                "--version");
        assertThat(withHome.exit()).isEqualTo(1);
        assertThat(withHome.err()).contains("JAVA_HOME=" + java17Bin.getParent() + ": Java 17");
    }

    @Test
    void aJavaHomeThatIsNotAJdkFallsBackToThePath() throws Exception {
        Result r = run(Map.of("PATH", modernJdk.resolve("bin") + ":/usr/bin:/bin",
                "JAVA_HOME", tmp.resolve("nowhere").toString()), "--version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("agentwire " + VersionInfo.version());
    }

    /** The quick start's second half: {@code bin/agentwire serve --dev}, then the HTTP port answers; SIGTERM stops it. */
    @Test
    void servesInDevModeOnLoopbackAndStopsOnSigterm() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Process p = launch(Map.of("PATH", pathJava17First(), "JAVA_HOME", modernJdk.toString(),
                "AGENTWIRE_TRACKING_PORT", "0", "AGENTWIRE_ROOMS_PORT", "0"),
                "serve", "--dev", "--port", "0", "--data-dir", data.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Matcher> health = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = HEALTH.matcher(line);
                    if (m.find()) health.complete(m);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            health.completeExceptionally(new AssertionError("no banner; output:\n" + String.join("\n", lines)));
        });
        try {
            Matcher m = health.get(90, TimeUnit.SECONDS);
            assertThat(m.group(1)).as("--dev binds to loopback").isEqualTo("127.0.0.1");
            int port = Integer.parseInt(m.group(2));
            String command = String.join(" ", p.info().arguments().orElse(new String[0]));
            Path realJdk = modernJdk.toRealPath();
            assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(Path.of(c).normalize())
                    .startsWith(realJdk));
            assertThat(command).contains("-XX:+ExitOnOutOfMemoryError").contains("agentwire.jar");

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> healthz = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(healthz.statusCode()).isEqualTo(200);
            HttpResponse<String> version = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(version.statusCode()).isEqualTo(200);
            JsonNode v = new ObjectMapper().readTree(version.body());
            assertThat(v.path("version").asText()).isEqualTo(VersionInfo.version());
            assertThat(v.path("dialects").toString()).contains("envelope");
        } finally {
            p.toHandle().destroy(); // SIGTERM (Process.destroy() would also close our end of its output)
            boolean stopped = p.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) p.destroyForcibly();
            assertThat(stopped).as("stopped after SIGTERM").isTrue();
        }
        reader.join(Duration.ofSeconds(30));
        assertThat(lines).as("exit " + p.exitValue() + "\n" + String.join("\n", lines))
                .anyMatch(l -> l.contains("AgentWire stopped"));
        assertThat(p.exitValue()).as("128 + SIGTERM, after the shutdown hook").isEqualTo(143);
    }
}
