package io.agentwire.protocol.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The envelope protocol's JSON: pure functions from text to {@link Envelope} (with the validation errors of
 * envelope.md) and from envelopes to bytes. No I/O, no Netty: unit-tested and fuzzed on its own.
 */
public final class EnvelopeCodec {
    /** {@code namespace.name}: lower case letters, digits and underscores on both sides of one dot. */
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
    private static final int MAX_ID_LENGTH = 200;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private EnvelopeCodec() { }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Validates one client message. Never throws for any input. */
    public static EnvelopeDecodeResult decode(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return invalid(ErrorCode.INVALID_JSON, null, "the message is not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            return invalid(ErrorCode.INVALID_JSON, null, "the message is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return invalid(ErrorCode.INVALID_MESSAGE, null, "the message must be a JSON object");
        }
        JsonNode event = root.get("event");
        if (event == null || event.isNull()) return invalid(ErrorCode.MISSING_FIELD, "event", "the field 'event' is required");
        if (!event.isTextual() || !EVENT.matcher(event.textValue()).matches()) {
            return invalid(ErrorCode.INVALID_FIELD, "event", "'event' must be a string of the form namespace.name");
        }
        for (String id : new String[] {"session_id", "step_id"}) {
            if (!validOptionalId(root.get(id))) {
                return invalid(ErrorCode.INVALID_FIELD, id, "'" + id + "' must be a non-empty string of at most " + MAX_ID_LENGTH + " characters");
            }
        }
        String sessionId = root.path("session_id").textValue();
        String stepId = root.path("step_id").textValue();
        ObjectNode content = optionalObject(root, "content");
        if (content == null) return invalid(ErrorCode.INVALID_FIELD, "content", "'content' must be an object");
        ObjectNode metadata = optionalObject(root, "metadata");
        if (metadata == null) return invalid(ErrorCode.INVALID_FIELD, "metadata", "'metadata' must be an object");
        return new EnvelopeDecodeResult.Ok(new Envelope(event.textValue(), sessionId, stepId, content, metadata));
    }

    private static boolean validOptionalId(JsonNode v) {
        if (v == null || v.isNull()) return true;
        return v.isTextual() && !v.textValue().isEmpty() && v.textValue().length() <= MAX_ID_LENGTH;
    }

    private static ObjectNode optionalObject(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return JsonNodeFactory.instance.objectNode();
        return v.isObject() ? (ObjectNode) v : null;
    }

    private static EnvelopeDecodeResult invalid(ErrorCode code, String field, String detail) {
        return new EnvelopeDecodeResult.Invalid(code, field, detail);
    }

    /** A new server→client envelope (no seq, no connection id: those are added when it is sent). */
    public static ObjectNode envelope(String event, String sessionId, String stepId, ObjectNode content, ObjectNode metadata) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (sessionId != null) n.put("session_id", sessionId);
        if (stepId != null) n.put("step_id", stepId);
        n.put("event", event);
        n.put("timestamp", timestamp(Instant.now()));
        n.set("content", content == null ? JsonNodeFactory.instance.objectNode() : content);
        n.set("metadata", metadata == null ? JsonNodeFactory.instance.objectNode() : metadata);
        return n;
    }

    public static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /**
     * The shared part of a session event on the wire: the stored envelope with {@code seq}, serialised once,
     * without its opening brace, so each connection prepends {@link #connectionPrefix} (no copy, no re-encoding).
     */
    public static byte[] sharedBody(JsonNode stored, long seq) {
        ObjectNode copy = ((ObjectNode) stored).deepCopy();
        copy.remove("connection_id");
        copy.put("seq", seq);
        byte[] full = toBytes(copy);
        byte[] tail = new byte[full.length - 1];
        System.arraycopy(full, 1, tail, 0, tail.length);
        return tail;
    }

    /** {@code {"connection_id":"…",} — to be followed by a {@link #sharedBody}. */
    public static byte[] connectionPrefix(String connectionId) {
        return ("{\"connection_id\":" + quote(connectionId) + ",").getBytes(StandardCharsets.UTF_8);
    }

    /** A whole per-connection envelope (system and error events): connection id first, then the rest. */
    public static String encode(ObjectNode envelope, String connectionId) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("connection_id", connectionId);
        out.setAll(envelope);
        return new String(toBytes(out), StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return new String(toBytes(JsonNodeFactory.instance.textNode(s)), StandardCharsets.UTF_8);
    }

    static byte[] toBytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
