package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The dialect's JSON: a strict reader (duplicate keys, trailing data and nesting deeper than 64 are errors), the
 * writer, and spec 002's two timestamp forms — epoch seconds with milliseconds ({@code 1642678200.123}, on
 * {@code active_sessions}, {@code session_state}, {@code session_logs}, {@code ping}) and ISO-8601 in UTC
 * ({@code 2024-01-20T10:30:45.123Z}, on {@code agent_status}, {@code agent_collaboration} and log lines).
 */
final class TrackingJson {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final ObjectMapper WRITER = new ObjectMapper();

    static {
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private TrackingJson() { }

    /** Parses strictly; throws {@link JsonProcessingException} for anything that is not one JSON value. */
    static JsonNode read(String text) throws JsonProcessingException {
        return READER.readTree(text);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return WRITER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree can always be written", e);
        }
    }

    /** Epoch seconds with millisecond precision, written without an exponent: {@code 1642678200.123}. */
    static DecimalNode epochSeconds(long millis) {
        return new DecimalNode(BigDecimal.valueOf(millis, 3));
    }

    static String iso(long millis) {
        return ISO.format(Instant.ofEpochMilli(millis));
    }
}
