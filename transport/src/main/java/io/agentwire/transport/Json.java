package io.agentwire.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The transport's one ObjectMapper (thread-safe once configured) and its error body shape. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() { }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value can not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code {"error":{"code":…,"message":…}}}. */
    static Map<String, Object> error(String code, String message) {
        return Map.of("error", Map.of("code", code, "message", message));
    }
}
