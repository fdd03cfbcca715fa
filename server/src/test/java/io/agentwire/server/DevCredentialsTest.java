package io.agentwire.server;

import io.agentwire.dialect.spi.BannerLine;
import java.util.List;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.Authenticator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCredentialsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void devModeGeneratesSecretsAndASampleTokenThatWorks() {
        DevCredentials c = DevCredentials.resolve(TestConfigs.dev(dir), CLOCK);
        assertThat(c.generatedSecret()).isTrue();
        assertThat(c.generatedApiKey()).isTrue();
        assertThat(c.jwtSecret().orElseThrow().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(c.apiKey()).hasValueSatisfying(k -> assertThat(k).startsWith("awdev_"));
        assertThat(c.sampleTokenExpiry()).contains(CLOCK.instant().plus(Duration.ofHours(1)));
        assertThat(DevCredentials.resolve(TestConfigs.dev(dir), CLOCK).jwtSecret()).isNotEqualTo(c.jwtSecret());

        JwtAuthenticator auth = new JwtAuthenticator(
                new JwtAuthenticator.Settings(c.jwtSecret().orElseThrow(), Optional.empty(), Optional.empty(), false), CLOCK);
        Authenticator.Result r = auth.authenticate(new Authenticator.Request("/ws", Map.of(),
                Map.of("token", List.of(c.sampleToken().orElseThrow())), "127.0.0.1"));
        assertThat(((Authenticator.Accepted) r).principal().id()).isEqualTo("dev");
        assertThat(c.toString()).doesNotContain(c.jwtSecret().orElseThrow());
    }

    @Test
    void configuredSecretsAreUsedAsTheyAreAndNoTokenIsMinted() {
        DevCredentials c = DevCredentials.resolve(TestConfigs.production(dir), CLOCK);
        assertThat(c.jwtSecret()).contains(TestConfigs.SECRET);
        assertThat(c.generatedSecret()).isFalse();
        assertThat(c.generatedApiKey()).isFalse();
        assertThat(c.apiKey()).isEmpty();
        assertThat(c.sampleToken()).isEmpty();
    }

    @Test
    void theBannerShowsWhereEverythingIs() {
        DevCredentials dev = DevCredentials.resolve(TestConfigs.dev(dir), CLOCK);
        String token = dev.sampleToken().orElseThrow();
        // the lines the envelope dialect gives (EnvelopeProvider); a started server's are checked in the dialects' tests
        StartupBanner b = new StartupBanner("1.2.3", false, Path.of("/var/aw"), Path.of("/var/aw/agentwire.db"),
                "epoll", "0.0.0.0", 8080, List.of(BannerLine.of("envelope", "ws://0.0.0.0:8080/ws"),
                        BannerLine.dev("try", "ws://localhost:8080/ws?token=" + token)), 42);
        assertThat(b.text()).isEqualTo("""
                AgentWire 1.2.3 started in 42 ms (production mode)
                  data dir      /var/aw (database /var/aw/agentwire.db)
                  transport     epoll
                  envelope      ws://0.0.0.0:8080/ws
                  health        http://0.0.0.0:8080/healthz  http://0.0.0.0:8080/readyz
                  metrics       http://0.0.0.0:8080/metrics""".replace("\n", System.lineSeparator()));
        assertThat(b.devText(dev)).startsWith("DEV MODE:").contains(dev.jwtSecret().orElseThrow())
                .contains("ws://localhost:8080/ws?token=" + dev.sampleToken().orElseThrow());
    }
}
