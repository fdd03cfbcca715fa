package io.agentwire.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeCodecTest {

    @Test
    void decodesAValidMessageAndIgnoresUnknownAndServerOnlyFields() {
        var r = EnvelopeCodec.decode("""
                {"event":"user.message","session_id":"sess_1","step_id":"s1","content":{"text":"hi"},
                 "metadata":{"k":1},"seq":99,"connection_id":"forged","extra":[1,2]}""");
        assertThat(r).isInstanceOf(EnvelopeDecodeResult.Ok.class);
        Envelope e = ((EnvelopeDecodeResult.Ok) r).envelope();
        assertThat(e.event()).isEqualTo("user.message");
        assertThat(e.namespace()).isEqualTo("user");
        assertThat(e.sessionId()).isEqualTo("sess_1");
        assertThat(e.stepId()).isEqualTo("s1");
        assertThat(e.content().get("text").asText()).isEqualTo("hi");
        assertThat(e.metadata().get("k").asInt()).isEqualTo(1);
    }

    @Test
    void absentContentAndMetadataAreEmptyObjects() {
        Envelope e = ((EnvelopeDecodeResult.Ok) EnvelopeCodec.decode("{\"event\":\"user.heartbeat\"}")).envelope();
        assertThat(e.content().isEmpty()).isTrue();
        assertThat(e.metadata().isEmpty()).isTrue();
        assertThat(e.sessionId()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                                  | INVALID_JSON    | ",
            "{\"event\":\"user.message\"               | INVALID_JSON    | ",
            "{\"event\":\"user.a\"} trailing           | INVALID_JSON    | ",
            "{\"event\":\"user.a\",\"event\":\"user.b\"} | INVALID_JSON  | ",
            "[1,2,3]                                   | INVALID_MESSAGE | ",
            "\"just a string\"                         | INVALID_MESSAGE | ",
            "{}                                        | MISSING_FIELD   | event",
            "{\"event\":null}                          | MISSING_FIELD   | event",
            "{\"event\":42}                            | INVALID_FIELD   | event",
            "{\"event\":\"message\"}                   | INVALID_FIELD   | event",
            "{\"event\":\"User.Message\"}              | INVALID_FIELD   | event",
            "{\"event\":\"user.message\",\"session_id\":7}    | INVALID_FIELD | session_id",
            "{\"event\":\"user.message\",\"session_id\":\"\"} | INVALID_FIELD | session_id",
            "{\"event\":\"user.message\",\"step_id\":[]}      | INVALID_FIELD | step_id",
            "{\"event\":\"user.message\",\"content\":\"hi\"}  | INVALID_FIELD | content",
            "{\"event\":\"user.message\",\"metadata\":[1]}    | INVALID_FIELD | metadata",
    })
    void answersBadInputWithTheDocumentedCodeAndField(String text, ErrorCode code, String field) {
        var r = EnvelopeCodec.decode(text);
        assertThat(r).isInstanceOf(EnvelopeDecodeResult.Invalid.class);
        var invalid = (EnvelopeDecodeResult.Invalid) r;
        assertThat(invalid.code()).isEqualTo(code);
        assertThat(invalid.field()).isEqualTo(field);
        assertThat(invalid.detail()).isNotBlank();
    }

    @Test
    void deepNestingIsInvalidJsonNotAStackOverflow() {
        String deep = "{\"event\":\"user.message\",\"content\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        var r = EnvelopeCodec.decode(deep);
        assertThat(((EnvelopeDecodeResult.Invalid) r).code()).isEqualTo(ErrorCode.INVALID_JSON);
    }

    @Test
    void theSharedBodyAndAConnectionPrefixMakeOneEnvelopeWithSeqAndConnectionId() throws Exception {
        ObjectNode stored = EnvelopeCodec.envelope("plan.start", "sess_1", null,
                JsonNodeFactory.instance.objectNode().put("query", "q \"quoted\" ü"), JsonNodeFactory.instance.objectNode().put("run_id", "r1"));
        byte[] body = EnvelopeCodec.sharedBody(stored, 42);
        byte[] prefix = EnvelopeCodec.connectionPrefix("conn_\"x");
        byte[] whole = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, whole, 0, prefix.length);
        System.arraycopy(body, 0, whole, prefix.length, body.length);
        JsonNode parsed = EnvelopeCodec.mapper().readTree(new String(whole, StandardCharsets.UTF_8));
        assertThat(parsed.get("connection_id").asText()).isEqualTo("conn_\"x");
        assertThat(parsed.get("seq").asLong()).isEqualTo(42);
        assertThat(parsed.get("event").asText()).isEqualTo("plan.start");
        assertThat(parsed.get("content").get("query").asText()).isEqualTo("q \"quoted\" ü");
        assertThat(parsed.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(stored.has("seq")).as("the stored event is not modified").isFalse();
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random random = new Random(20261122L);
        String valid = "{\"event\":\"user.message\",\"session_id\":\"sess_1\",\"content\":{\"text\":\"hello\"},\"metadata\":{}}";
        for (int i = 0; i < 50_000; i++) {
            String input;
            if (i % 2 == 0) {
                char[] c = valid.toCharArray();
                for (int m = 0; m < 1 + random.nextInt(4); m++) c[random.nextInt(c.length)] = (char) random.nextInt(128);
                input = new String(c);
            } else {
                byte[] b = new byte[random.nextInt(64)];
                random.nextBytes(b);
                input = new String(b, StandardCharsets.UTF_8);
            }
            var r = EnvelopeCodec.decode(input);
            assertThat(r).isNotNull();
        }
    }
}
