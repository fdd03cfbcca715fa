package io.agentwire.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwire.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and validating what remote agents send (no sockets: the protocol's pure part). */
class AgentWireTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"heartbeat\",\"type\":\"register\"}                    | INVALID_JSON   |",
            "{\"type\":\"heartbeat\"} {}                                        | INVALID_JSON   |",
            "\"register\"                                                       | INVALID_MESSAGE |",
            "{\"type\":7}                                                       | INVALID_FIELD  | type",
            "{\"type\":\"register\",\"name\":\"\"}                              | INVALID_FIELD  | name",
            "{\"type\":\"register\",\"name\":\"a-very-long-name-a-very-long-name-a-very-long-name-a-very-long-name\"} | INVALID_FIELD | name",
            "{\"type\":\"register\",\"name\":\"ok\",\"resume\":[1]}            | INVALID_FIELD  | resume",
            "{\"type\":\"event\",\"run_id\":\"r\",\"n\":1.5,\"event\":\"a.b\"}  | INVALID_FIELD  | n",
            "{\"type\":\"event\",\"run_id\":\"r\",\"n\":1}                      | MISSING_FIELD  | event",
            "{\"type\":\"event\",\"n\":1,\"event\":\"a.b\"}                     | MISSING_FIELD  | run_id",
            "{\"type\":\"event\",\"run_id\":\"r\",\"n\":1,\"event\":\"a.b\",\"metadata\":[]} | INVALID_FIELD | metadata",
            "{\"type\":\"event\",\"run_id\":\"r\",\"n\":1,\"event\":\"agent.user_confirm\",\"step_id\":\"s\",\"content\":{\"prompt\":\"p\"},\"metadata\":{\"timeout_ms\":0}} | INVALID_FIELD | metadata.timeout_ms",
            "{\"type\":\"run.end\",\"run_id\":\"r\",\"n\":2,\"status\":\"Done!\"} | INVALID_FIELD  | status",
    })
    void badMessagesAreNamed(String text, ErrorCode code, String field) {
        Inbound parsed = AgentWire.parse(text.strip());
        assertThat(parsed).isInstanceOfSatisfying(Inbound.Invalid.class, bad -> {
            assertThat(bad.code()).isEqualTo(code);
            assertThat(bad.field()).isEqualTo(field);
            assertThat(bad.message()).isNotBlank();
        });
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"type\":\"event\",\"content\":" + "[".repeat(100) + "]".repeat(100) + "}";
        assertThat(AgentWire.parse(deep)).isInstanceOfSatisfying(Inbound.Invalid.class,
                bad -> assertThat(bad.code()).isEqualTo(ErrorCode.INVALID_JSON));
    }

    @Test
    void aConfirmationTakesItsDefaultsAndInvalidAnswersKeepTheRunAndNumber() {
        Inbound.Event e = (Inbound.Event) AgentWire.parse("{\"type\":\"event\",\"run_id\":\"r\",\"n\":3,"
                + "\"event\":\"agent.user_confirm\",\"step_id\":\"s\",\"content\":{\"prompt\":\"Go?\",\"options\":[\"a\",\"b\"]}}");
        assertThat(e.confirm()).isEqualTo(new Inbound.Confirm("Go?", java.util.List.of("a", "b"), "a",
                AgentWire.DEFAULT_CONFIRM_TIMEOUT_MS));
        Inbound.Invalid bad = (Inbound.Invalid) AgentWire.parse("{\"type\":\"event\",\"run_id\":\"r\",\"n\":4,\"event\":\"user.x\"}");
        assertThat(bad.runId()).isEqualTo("r");
        assertThat(bad.n()).isEqualTo(4L);
        Inbound.End end = (Inbound.End) AgentWire.parse("{\"type\":\"run.end\",\"run_id\":\"r\",\"n\":5}");
        assertThat(end.status()).isEqualTo("completed");
        assertThat(end.metadata().isEmpty()).isTrue();
    }
}
