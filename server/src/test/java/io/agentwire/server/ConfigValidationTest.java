package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidationTest {
    @TempDir
    Path dir;

    private Path conf() {
        return dir.resolve("agentwire.conf");
    }

    private String refusal(String hocon) {
        try {
            TestConfigs.devWithFile(dir, hocon, Map.of());
        } catch (ConfigurationException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + hocon);
    }

    @Test
    void aBadValueIsReportedUnderItsKeyAsTheOperatorWroteIt() {
        assertThat(refusal("agentwire.envelope.heartbeat-interval = 0s")).isEqualTo(
                "agentwire.envelope.heartbeat-interval: heartbeat interval must be > 0, was 0s (" + conf() + ": 1)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http.port = 70000                          | agentwire.http.port: port must be 0..65535, was 70000
            http.host = ""                             | agentwire.http.host: host must not be blank
            envelope.path = ws                         | agentwire.envelope.path: envelope path must start with '/', was ws
            envelope.heartbeat-timeout = 10s           | agentwire.envelope.heartbeat-timeout: heartbeat timeout (PT10S) must be longer than the interval (PT30S)
            envelope.max-payload = 512                 | agentwire.envelope.max-payload: max payload must be >= 1024 bytes, was 512
            envelope.max-payload = 3GiB                | agentwire.envelope.max-payload: must be less than 2GiB, was 3GiB
            envelope.rate-limit.per-second = 0         | agentwire.envelope.rate-limit.per-second: rate limit must be > 0 messages/s, was 0
            envelope.rate-limit.burst = 0              | agentwire.envelope.rate-limit.burst: rate burst must be >= 1, was 0
            history.size = 0                           | agentwire.history.size: history size must be >= 1, was 0
            history.ttl = -1s                          | agentwire.history.ttl: history ttl must be > 0, was -1s
            sessions.ttl = 0s                          | agentwire.sessions.ttl: session ttl must be > 0, was 0s
            store.sqlite.synchronous = fast            | agentwire.store.sqlite.synchronous: must be FULL or NORMAL, was fast
            store.sqlite.max-batch = 0                 | agentwire.store.sqlite.max-batch: maxBatch must be between 1 and 100000, was 0
            store.sqlite.max-pending = 20000000        | agentwire.store.sqlite.max-pending: maxPending must be between 1 and 10000000, was 20000000
            transport.writer.max-queued-messages = 0   | agentwire.transport.writer.max-queued-messages: maxQueuedMessages must be at least 1, was 0
            transport.writer.max-queued-bytes = 0      | agentwire.transport.writer.max-queued-bytes: maxQueuedBytes must be at least 1, was 0
            transport.writer.close-grace = 11m         | agentwire.transport.writer.close-grace: closeGrace must be at most 10 minutes, was 11m
            agents.default = gpt                       | agentwire.agents.default: no agent named gpt is registered (registered: demo, pipeline, toolsmith)
            agents.max-runs-per-session = 0            | agentwire.agents.max-runs-per-session: maxRunsPerSession must be >= 1, was 0
            agents.demo.step-delay = -1ms              | agentwire.agents.demo.step-delay: stepDelay must be >= 0, was -1ms
            agents.demo.confirm-timeout = 0s           | agentwire.agents.demo.confirm-timeout: confirmTimeout must be positive, was 0s
            toolsmith.limits.cpu-seconds = 0           | agentwire.toolsmith.limits.cpu-seconds: cpuSeconds must be >= 1
            toolsmith.limits.memory = 1MiB             | agentwire.toolsmith.limits.memory: memoryBytes must be >= 32 MiB
            toolsmith.promotion.min-confidence = 2     | agentwire.toolsmith.promotion.min-confidence: promotion.min-confidence must be within 0..1, was 2
            toolsmith.display-chars = 5                | agentwire.toolsmith.display-chars: displayChars must be >= 20, was 5
            console.path = console/                    | agentwire.console.path: path must be like /console (no trailing slash, no query), was console/
            console.session-ttl = 0s                   | agentwire.console.session-ttl: sessionTtl must be positive, was 0s
            console.admin-role = " "                   | agentwire.console.admin-role: adminRole must not be blank
            """)
    void eachKeyIsValidatedByItsModuleRecord(String setting, String message) {
        assertThat(refusal("agentwire." + setting)).startsWith(message);
    }

    @Test
    void twoValuesThatContradictEachOtherAreBothNamed() {
        assertThat(refusal("agentwire.envelope { heartbeat-interval = 55s, heartbeat-timeout = 50s }")).isEqualTo(
                "agentwire.envelope.heartbeat-interval (" + conf() + ": 1), agentwire.envelope.heartbeat-timeout ("
                        + conf() + ": 1): heartbeat timeout (PT50S) must be longer than the interval (PT55S)");
    }

    @Test
    void aLongerResumeWindowStretchesTheIdleStreamTimeout() throws IOException {
        AgentWireConfig c = TestConfigs.devWithFile(dir, "agentwire.history.ttl = 30m", Map.of());
        assertThat(c.history().ttl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.history().idleStreamTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aWrongTypeNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> AgentWireConfig.load(null, Map.of("AGENTWIRE_HTTP_PORT", "eighty"),
                Map.of("agentwire.dev", true)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("environment variable AGENTWIRE_HTTP_PORT: agentwire.http.port has type STRING rather than NUMBER");
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", "short-secret"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agentwire.auth.jwt.secret: jwt secret must be at least 32 bytes, has 12 "
                        + "(environment variable AGENTWIRE_JWT_SECRET)")
                .message().doesNotContain("short-secret");
    }
}
