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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution ({@code server/target/dist}, built by {@code ./mvnw package}): its {@code bin/agentwire}
 * launcher run as a process the way the README's quick start runs it, on a machine whose {@code java} on the PATH
 * is 17 and whose {@code JAVA_HOME} is 21+.
 */
@Tag("integration")
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

    /**
     * On Java 25+ the launcher turns on compact object headers (8-byte headers, JEP 519: less heap per connection),
     * and {@code AGENTWIRE_JAVA_OPTS} can turn them off again; the running JVM reports the flag as it took it.
     */
    @Test
    void compactObjectHeadersOnJava25AndAnOptionTurnsThemOff() throws Exception {
        Result on = launcherWith("-XX:+PrintCommandLineFlags", "--version");
        assertThat(on.out()).contains("agentwire " + VersionInfo.version());
        if (major(modernJdk) >= 25) {
            assertThat(on.out()).contains("-XX:+UseCompactObjectHeaders");
        } else {
            assertThat(on.out()).doesNotContain("UseCompactObjectHeaders");
        }
        Result off = launcherWith("-XX:-UseCompactObjectHeaders -XX:+PrintCommandLineFlags", "--version");
        assertThat(off.out()).doesNotContain("-XX:+UseCompactObjectHeaders");
    }

    /**
     * The version-dependent options go by the version the launcher found: compact object headers from Java 25 (24 has
     * them experimental), native heap trimming from Java 23 (experimental before). The young generation's bound goes
     * by the collector the JVM says it picks, and only to {@code serve}.
     */
    @Test
    void versionDependentOptionsGoByTheJavaFound() throws Exception {
        for (int major : new int[] {21, 22, 23, 24, 25, 26}) {
            Result r = run(Map.of("PATH", pathJava17First(), "JAVA_HOME", standInJdk(major, true).toString()), "serve");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as("Java " + major).contains("-XX:+ExitOnOutOfMemoryError")
                    .contains("-XX:MaxNewSize=16m");
            if (major >= 24) {
                assertThat(r.out()).as("Java " + major).contains("--sun-misc-unsafe-memory-access=allow");
            } else {
                assertThat(r.out()).as("Java " + major).doesNotContain("sun-misc-unsafe-memory-access");
            }
            if (major >= 25) {
                assertThat(r.out()).as("Java " + major).contains("-XX:+UseCompactObjectHeaders");
            } else {
                assertThat(r.out()).as("Java " + major).doesNotContain("UseCompactObjectHeaders");
            }
            if (major >= 23) {
                assertThat(r.out()).as("Java " + major).contains("-XX:TrimNativeHeapInterval=1000");
            } else {
                assertThat(r.out()).as("Java " + major).doesNotContain("TrimNativeHeapInterval");
            }
        }
        Result g1 = run(Map.of("PATH", pathJava17First(), "JAVA_HOME", standInJdk(25, false).toString()), "serve");
        assertThat(g1.out()).as("a JVM that picks G1").contains("-XX:TrimNativeHeapInterval=1000")
                .doesNotContain("MaxNewSize");
        Result cli = run(Map.of("PATH", pathJava17First(), "JAVA_HOME", standInJdk(25, true).toString()), "--version");
        assertThat(cli.out()).as("a command other than serve").contains("-XX:TrimNativeHeapInterval=1000")
                .doesNotContain("MaxNewSize");
    }

    /**
     * A stand-in {@code java} that answers {@code -version} as that Java does, {@code -XX:+PrintFlagsFinal -version}
     * with its collector (Serial or not), and otherwise prints the arguments it was started with.
     */
    private Path standInJdk(int major, boolean serial) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("stand-in-jdk" + major + "-" + serial + "/bin")).getParent();
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\ncase \"$*\" in *-XX:+PrintFlagsFinal*-version) echo '     bool UseSerialGC"
                + "                              = " + serial + "   {product} {ergonomic}'; exit 0 ;; esac\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"" + major + ".0.1\" 2026-01-20' >&2; exit 0;"
                + " fi\n"
                + "echo \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /**
     * The memory options as the real JVM took them for {@code serve} (its {@code --help}, which starts nothing): on
     * one processor (Serial) the young generation at most 16 MiB, with G1 no bound; the native heap trimmed every
     * second (the trimmer logs that it started); options in {@code AGENTWIRE_JAVA_OPTS} replace both.
     */
    @Test
    void youngGenerationBoundWithSerialAndNativeTrimmingAndOptionsReplaceThem() throws Exception {
        Result serial = serveHelpWith("-XX:ActiveProcessorCount=1 -XX:+PrintFlagsFinal -Xlog:trimnative");
        assertThat(flag(serial.out(), "UseSerialGC")).isEqualTo("true");
        assertThat(flag(serial.out(), "MaxNewSize")).isEqualTo("16777216");
        if (major(modernJdk) >= 23) {
            assertThat(flag(serial.out(), "TrimNativeHeapInterval")).isEqualTo("1000");
            assertThat(serial.out()).contains("Periodic native trim enabled (interval: 1000 ms)");
        } else {
            assertThat(serial.out()).doesNotContain("Periodic native trim enabled");
        }

        Result g1 = serveHelpWith("-XX:ActiveProcessorCount=1 -XX:+UseG1GC -XX:+PrintFlagsFinal");
        assertThat(flag(g1.out(), "UseG1GC")).isEqualTo("true");
        assertThat(flag(g1.out(), "MaxNewSize")).isNotEqualTo("16777216");

        Result off = serveHelpWith("-XX:ActiveProcessorCount=1 -XX:MaxNewSize=64m -XX:TrimNativeHeapInterval=0 "
                + "-XX:+PrintFlagsFinal -Xlog:trimnative");
        assertThat(flag(off.out(), "MaxNewSize")).isEqualTo("67108864");
        assertThat(off.out()).doesNotContain("Periodic native trim enabled");
    }

    /** {@code agentwire ARGS} through the launcher on the modern JDK, {@code javaOpts} in AGENTWIRE_JAVA_OPTS. */
    private Result launcherWith(String javaOpts, String... args) throws Exception {
        Result r = run(Map.of("PATH", pathJava17First(), "JAVA_HOME", modernJdk.toString(),
                "AGENTWIRE_JAVA_OPTS", javaOpts), args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    /** {@code agentwire serve --help} (it starts nothing) with {@code javaOpts}. */
    private Result serveHelpWith(String javaOpts) throws Exception {
        Result r = launcherWith(javaOpts, "serve", "--help");
        assertThat(r.out()).contains("Usage: agentwire serve");
        return r;
    }

    /** A flag's value in {@code -XX:+PrintFlagsFinal}'s table ("size_t MaxNewSize = 16777216 {product} …"). */
    private static String flag(String flagsFinal, String name) {
        Matcher m = Pattern.compile("\\s" + name + "\\s+:?=\\s+(\\S+)").matcher(flagsFinal);
        assertThat(m.find()).as(name + " in the JVM's flags").isTrue();
        return m.group(1);
    }

    /** The feature release of the JDK at {@code home}, from its {@code release} file. */
    private static int major(Path home) throws IOException {
        Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
        assertThat(m.find()).as("JAVA_VERSION in " + home.resolve("release")).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The quick start's second half: {@code bin/agentwire serve --dev}, then the HTTP port answers; SIGTERM stops it. */
    @Test
    void servesInDevModeOnLoopbackAndStopsOnSigterm() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Process p = launch(Map.of("PATH", pathJava17First(), "JAVA_HOME", modernJdk.toString(),
                "AGENTWIRE_TRACKING_PORT", "0", "AGENTWIRE_ROOMS_PORT", "0",
                "AGENTWIRE_PROGRESS_ENABLED", "false", "AGENTWIRE_MESH_ENABLED", "false"),
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
            if (major(modernJdk) >= 25) assertThat(command).contains("-XX:+UseCompactObjectHeaders");
            if (major(modernJdk) >= 23) assertThat(command).contains("-XX:TrimNativeHeapInterval=1000");

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

    /**
     * The server started by the launcher with {@code AGENTWIRE_LOG_FORMAT=json}; a scripted demo run, a resume and a
     * bad message over the envelope protocol; then {@code /metrics} shows the wire, run and error series with
     * non-zero values, and every line the server wrote to stdout parses as JSON (the run's lines carry its run id).
     */
    @Test
    void jsonLogsAndMetricsAfterAScriptedRun() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data-json"));
        Path stdout = tmp.resolve("json-stdout.log");
        Path stderr = tmp.resolve("json-stderr.log");
        Process p = launch(Map.of("PATH", pathJava17First(), "JAVA_HOME", modernJdk.toString(),
                "AGENTWIRE_TRACKING_PORT", "0", "AGENTWIRE_ROOMS_PORT", "0",
                "AGENTWIRE_PROGRESS_ENABLED", "false", "AGENTWIRE_MESH_ENABLED", "false", "AGENTWIRE_LOG_FORMAT", "json",
                "AGENTWIRE_AGENTS_DEMO_CONFIRM_PLAN", "false", "AGENTWIRE_AGENTS_DEMO_STEP_DELAY", "10ms"),
                "serve", "--dev", "--port", "0", "--data-dir", data.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        ObjectMapper json = new ObjectMapper();
        String runId;
        String scrape;
        try {
            int port = awaitPort(p, stdout, stderr);
            String sessionId;
            try (JsonSocket ws = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                ws.awaitEvent("system.connected");
                ws.send("{\"event\":\"user.create_session\",\"content\":{}}");
                sessionId = ws.awaitEvent("agent.session_created").path("content").path("session_id").asText();
                ws.send("{\"event\":\"user.message\",\"session_id\":\"" + sessionId
                        + "\",\"content\":{\"text\":\"Compare three vector databases\"}}");
                JsonNode done = ws.awaitEvent("pipeline.completed");
                runId = done.path("run_id").asText(done.path("metadata").path("run_id").asText());
                assertThat(runId).isNotEmpty();
                assertThat(done.path("metadata").path("status").asText()).isEqualTo("completed");
                ws.send("this is not JSON");
                ws.await(n -> n.path("event").asText().startsWith("error."), "an error answer");
            }
            try (JsonSocket again = new JsonSocket(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                again.awaitEvent("system.connected");
                again.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sessionId
                        + "\",\"content\":{\"last_seq\":1}}");
                again.await(n -> "RESUMED".equals(n.path("content").path("code").asText()), "system.notice RESUMED");
            }
            scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } finally {
            p.toHandle().destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        Scrape m = new Scrape(scrape);
        assertThat(m.value("agentwire_messages_in_total{dialect=\"envelope\"}")).isGreaterThanOrEqualTo(4);
        assertThat(m.value("agentwire_messages_out_total{dialect=\"envelope\"}")).isGreaterThan(10);
        assertThat(m.value("agentwire_deliveries_total{dialect=\"envelope\"}")).isGreaterThan(5);
        assertThat(m.value("agentwire_delivery_latency_seconds_count{dialect=\"envelope\"}")).isGreaterThan(0);
        assertThat(m.value("agentwire_resumes_total{dialect=\"envelope\"}")).isEqualTo(1);
        assertThat(scrape).containsPattern("agentwire_errors_total\\{code=\"[A-Z_]+\",dialect=\"envelope\"} 1\\.0");
        assertThat(m.value("agentwire_agent_runs_started_total{agent=\"demo\"}")).isEqualTo(1);
        assertThat(m.value("agentwire_agent_runs_seconds_count{agent=\"demo\",status=\"completed\"}"))
                .isEqualTo(1);
        assertThat(m.value("agentwire_agent_runs_seconds_sum{agent=\"demo\",status=\"completed\"}"))
                .isGreaterThan(0);

        // Every series the Grafana dashboard (deploy/) queries exists, except the model's and MCP's (registered only
        // when a model is configured) and the remote agents' and tracking/rooms ones this run did not need.
        for (String name : DeployFilesTest.dashboardMetrics()) {
            if (name.startsWith("agentwire_model_") || name.startsWith("agentwire_mcp_")) continue;
            assertThat(scrape).as("the dashboard's " + name + " is in the scrape").contains("\n" + name);
        }

        List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThan(5);
        List<JsonNode> events = new java.util.ArrayList<>();
        for (String line : lines) {
            JsonNode event = json.readTree(line); // throws if a line is not JSON
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("level").asText()).as(line).isNotEmpty();
            events.add(event);
        }
        assertThat(events).anyMatch(e -> e.path("formattedMessage").asText().contains("AgentWire stopped"));
        assertThat(events).filteredOn(e -> runId.equals(e.path("mdc").path("run_id").asText()))
                .anyMatch(e -> e.path("formattedMessage").asText().startsWith("run ended"))
                .allMatch(e -> e.path("mdc").path("agent").asText().equals("demo"));
    }

    /** The HTTP port from the JSON banner line on stdout. */
    private static int awaitPort(Process p, Path stdout, Path stderr) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("server exited " + p.exitValue() + ": " + Files.readString(stdout)
                        + Files.readString(stderr));
            }
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                if (line.isBlank() || !line.endsWith("}")) continue;
                Matcher m = HEALTH.matcher(json.readTree(line).path("formattedMessage").asText());
                if (m.find()) return Integer.parseInt(m.group(2));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no banner: " + Files.readString(stdout) + Files.readString(stderr));
    }
}
