package io.agentwire.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Console logins: sessions that expire, cookies with the right attributes, failed logins limited per address. */
class ConsoleAuthTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };
    private final ConsoleAuth auth = new ConsoleAuth(ConsoleSettings.DEFAULT,
            c -> c.equals("the-key") ? Optional.of("api-key") : Optional.empty(), clock);

    private static Map<String, List<String>> cookie(ConsoleAuth.Session s) {
        return Map.of("cookie", List.of("other=1; aw_console=" + s.id()));
    }

    @Test
    void aLoginOpensASessionThatExpiresWithoutUse() {
        ConsoleAuth.Session s = ((ConsoleAuth.Opened) auth.login("the-key", "127.0.0.1:5000")).session();
        assertThat(s.csrf()).hasSize(48).isNotEqualTo(s.id());
        assertThat(auth.cookieFor(s)).isEqualTo("aw_console=" + s.id() + "; Path=/console; HttpOnly; SameSite=Strict; Max-Age=1800");
        now = now.plus(Duration.ofMinutes(29));
        assertThat(auth.session(cookie(s))).isPresent(); // used: renewed for 30 minutes more
        now = now.plus(Duration.ofMinutes(29));
        assertThat(auth.session(cookie(s))).isPresent();
        now = now.plus(Duration.ofMinutes(31));
        assertThat(auth.session(cookie(s))).isEmpty();
        assertThat(auth.session(Map.of())).isEmpty();
    }

    @Test
    void theSecureFlagFollowsTheSetting() {
        ConsoleAuth secure = new ConsoleAuth(new ConsoleSettings(true, "/ops/console", Duration.ofMinutes(5), true, "admin"),
                c -> Optional.of("x"), clock);
        ConsoleAuth.Session s = ((ConsoleAuth.Opened) secure.login("k", "h")).session();
        assertThat(secure.cookieFor(s)).endsWith("Path=/ops/console; HttpOnly; SameSite=Strict; Max-Age=300; Secure");
        assertThat(secure.clearedCookie()).contains("Max-Age=0");
    }

    @Test
    void failedLoginsAreLimitedPerAddressAndTheRightKeyWaitsToo() {
        for (int i = 0; i < ConsoleAuth.FAILURE_BURST; i++) {
            assertThat(auth.login("wrong", "10.0.0.1:" + (4000 + i))).isInstanceOf(ConsoleAuth.Refused.class);
        }
        assertThat(auth.login("the-key", "10.0.0.1:4999")).isInstanceOf(ConsoleAuth.Limited.class);
        assertThat(auth.login("the-key", "10.0.0.2:4000")).isInstanceOf(ConsoleAuth.Opened.class); // another address
    }
}
