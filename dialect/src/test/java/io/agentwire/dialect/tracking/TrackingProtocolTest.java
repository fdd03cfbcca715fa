package io.agentwire.dialect.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spec 002's connection rules over real sockets: client ids, bad input, the rate limit, ping and pong. */
@Tag("integration")
class TrackingProtocolTest {
    @TempDir Path dir;

    @Test
    void aClientIdFailingTheDocumentedCheckIsClosed1008InvalidClientIdWhenThatCheckIsConfigured() throws Exception {
        TrackingConfig strict = TrackingConfig.DEFAULT.withClientIdPattern(TrackingConfig.DOCUMENTED_CLIENT_ID_PATTERN);
        try (TrackingHarness server = new TrackingHarness(dir, strict)) {
            for (String id : List.of("client-123", "client_1642678200123", "client_1642678200123_ABC", "client_x_abc",
                    "client_1_abc/extra", "")) {
                try (WsClient c = WsClient.connect(server.dashboardUri(id))) {
                    assertThat(c.awaitClose()).as(id).isEqualTo(1008);
                    assertThat(c.closeReason).isEqualTo("Invalid client ID");
                    assertThat(c.all).as("nothing is sent before the close").isEmpty();
                }
            }
            try (WsClient ok = WsClient.connect(server.dashboardUri("client_1642678200123_k3j9x2ab1"))) {
                assertThat(ok.next().path("type").asText()).isEqualTo("active_sessions");
            }
            assertThat(server.tracking.connections()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void theClientIdCheckIsConfigurable() throws Exception {
        TrackingConfig any = new TrackingConfig("[A-Za-z0-9_-]{3,64}", Duration.ofSeconds(30), Duration.ofSeconds(60),
                60, Duration.ofSeconds(60), 65_536, 500, Duration.ofMinutes(10), 1000, "demo");
        try (TrackingHarness server = new TrackingHarness(dir, any);
             WsClient c = WsClient.connect(server.dashboardUri("client-123"))) {
            assertThat(c.next().path("type").asText()).isEqualTo("active_sessions");
        }
    }

    @Test
    void badMessagesGetAnErrorAndTheConnectionStaysOpen() throws Exception {
        try (TrackingHarness server = new TrackingHarness(dir, TrackingConfig.DEFAULT); WsClient c = server.dashboard()) {
            c.awaitType("active_sessions");
            record Case(String text, String code, String field) { }
            List<Case> cases = List.of(
                    new Case("{not json", "INVALID_JSON", null),
                    new Case("{\"type\":\"pong\"} trailing", "INVALID_JSON", null),
                    new Case("[1,2]", "INVALID_MESSAGE", null),
                    new Case("{}", "MISSING_FIELD", "type"),
                    new Case("{\"session_id\":\"s\"}", "MISSING_FIELD", "type"),
                    new Case("{\"type\":42}", "INVALID_FIELD", "type"),
                    new Case("{\"type\":\"subscribe_everything\"}", "UNKNOWN_EVENT", "type"),
                    new Case("{\"type\":\"get_session_state\"}", "MISSING_FIELD", "session_id"),
                    new Case("{\"type\":\"start_log_streaming\",\"session_id\":7}", "INVALID_FIELD", "session_id"));
            for (Case k : cases) {
                c.send(k.text());
                JsonNode err = c.awaitType("error");
                assertThat(err.path("code").asText()).as(k.text()).isEqualTo(k.code());
                assertThat(err.path("message").asText()).as(k.text()).isNotBlank();
                assertThat(err.path("timestamp").isNumber()).isTrue();
                if (k.field() != null) assertThat(err.path("field").asText()).as(k.text()).isEqualTo(k.field());
            }
            c.send("{\"type\":\"subscribe_everything\"}");
            assertThat(c.awaitType("error").path("request_type").asText()).isEqualTo("subscribe_everything");
            c.send("{\"type\":\"ping\"}");
            assertThat(c.awaitType("pong").path("timestamp").isNumber()).isTrue();
            c.send("{\"type\":\"stop_log_streaming\",\"extra\":true}"); // valid even when nothing streams: no answer
            c.send("{\"type\":\"get_session_logs\",\"session_id\":\"sess_nope\"}");
            assertThat(c.awaitType("error").path("code").asText()).isEqualTo("SESSION_NOT_FOUND");
            assertThat(c.closed).isNotDone();
            // each error answered is counted by its code (counted before it is sent, so seen once it arrived)
            assertThat(server.errors("INVALID_JSON")).isEqualTo(2);
            assertThat(server.errors("MISSING_FIELD")).isEqualTo(3);
            assertThat(server.errors("INVALID_FIELD")).isEqualTo(2);
            assertThat(server.errors("UNKNOWN_EVENT")).isEqualTo(2);
            assertThat(server.errors("INVALID_MESSAGE")).isEqualTo(1);
            assertThat(server.errors("SESSION_NOT_FOUND")).isEqualTo(1);
            assertThat(server.count("agentwire.messages.in")).isEqualTo(cases.size() + 4);
            assertThat(server.awaitCount("agentwire.messages.out", cases.size() + 4)).isGreaterThanOrEqualTo(cases.size() + 4);
        }
    }

    @Test
    void overTheRateLimitMessagesAreDroppedWithAClearErrorAndPongsStillCount() throws Exception {
        TrackingConfig five = TrackingConfig.DEFAULT.withRateLimit(5, Duration.ofSeconds(60));
        try (TrackingHarness server = new TrackingHarness(dir, five); WsClient c = server.dashboard()) {
            c.awaitType("active_sessions");
            for (int i = 0; i < 5; i++) c.send(WsClient.type("get_session_state", "sess_" + i));
            for (int i = 0; i < 5; i++) c.send(WsClient.type("pong")); // never limited
            for (int i = 5; i < 9; i++) c.send(WsClient.type("get_session_state", "sess_" + i));
            c.send(WsClient.type("ping"));
            for (int i = 0; i < 5; i++) {
                assertThat(c.awaitType("error").path("session_id").asText()).isEqualTo("sess_" + i);
            }
            JsonNode limited = c.awaitType("error");
            assertThat(limited.path("code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(limited.path("message").asText()).startsWith("rate limit exceeded: at most 5 messages per 60 s");
            assertThat(limited.path("retry_after_ms").asLong()).isPositive();
            assertThat(limited.path("dropped").asLong()).isPositive();
            assertThat(limited.path("limit").asInt()).isEqualTo(5);
            assertThat(limited.path("window_ms").asLong()).isEqualTo(60_000);
            assertThat(limited.path("request_type").asText()).isEqualTo("get_session_state");
            assertThat(server.awaitCount("agentwire.rate.limited", 5)).as("sess_5…8 and the ping").isEqualTo(5);
            assertThat(server.errors("RATE_LIMITED")).as("one notice").isEqualTo(1);
            assertThat(server.errors("SESSION_NOT_FOUND")).isEqualTo(5);
            c.send(WsClient.type("get_session_state", "sess_after"));
            assertThat(c.closed).isNotDone();
            assertThat(c.all).noneMatch(n -> n.path("session_id").asText().matches("sess_[5-9]|sess_after")
                    && n.path("code").asText().equals("SESSION_NOT_FOUND"));
            assertThat(c.all).noneMatch(n -> n.path("type").asText().equals("pong"));
        }
    }

    @Test
    void theServerPingsAndClosesADashboardThatAnswersNeitherPingMessagesNorPingFrames() throws Exception {
        TrackingConfig fast = TrackingConfig.DEFAULT.withPing(Duration.ofMillis(100), Duration.ofMillis(600));
        try (TrackingHarness server = new TrackingHarness(dir, fast);
             DeadDashboard dead = new DeadDashboard(server.trackingPort, TrackingDialect.PATH_PREFIX + "client_2_dead")) {
            WsClient answering = server.dashboard();
            assertThat(dead.awaitClose()).isEqualTo(1001);
            assertThat(dead.texts).anyMatch(t -> t.contains("\"type\":\"ping\""));
            assertThat(dead.pingFrames).isPositive();
            for (int i = 0; i < 8; i++) {
                JsonNode ping = answering.awaitType("ping");
                assertThat(ping.path("timestamp").isNumber()).isTrue();
                assertThat(ping.path("timestamp").asDouble()).isGreaterThan(1.6e9);
            }
            assertThat(answering.closed).isNotDone();
            answering.close();
        }
    }

    @Test
    void aDashboardThatNeverAnswersPingMessagesStaysOpenThroughItsClientsPongFrames() throws Exception {
        TrackingConfig fast = TrackingConfig.DEFAULT.withPing(Duration.ofMillis(100), Duration.ofMillis(600));
        try (TrackingHarness server = new TrackingHarness(dir, fast);
             WsClient silent = WsClient.silent(server.dashboardUri("client_3_silent"))) {
            // the JDK's client, as a browser, answers the server's ping frames by itself; it never sends a message
            for (int i = 0; i < 30; i++) silent.awaitType("ping"); // 30 intervals: five times the timeout
            assertThat(silent.closed).isNotDone();
            assertThat(server.tracking.connections()).isEqualTo(1);
        }
    }
}
