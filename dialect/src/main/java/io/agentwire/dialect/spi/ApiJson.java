package io.agentwire.dialect.spi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.agentwire.core.ErrorCode;
import io.agentwire.transport.HttpReply;
import io.agentwire.transport.HttpRequestData;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON side of the HTTP API for backends: request bodies read strictly (no trailing tokens, no duplicate keys,
 * nesting at most 64 deep) and the 400 answer naming the bad field, {@code {"error":{"code","message","field"}}}.
 */
public final class ApiJson {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private ApiJson() { }

    /** A body that is not JSON, or is empty: the 400 to answer with. */
    public static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;
        public final transient HttpReply reply;

        BadBody(HttpReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    /** The request's body as JSON. */
    public static JsonNode body(HttpRequestData request) throws BadBody {
        JsonNode body;
        try {
            body = STRICT.readTree(request.body());
        } catch (IOException e) {
            throw new BadBody(bad(ErrorCode.INVALID_JSON, null, "the body is not valid JSON"));
        }
        if (body == null || body.isMissingNode()) {
            throw new BadBody(bad(ErrorCode.INVALID_JSON, null, "the body must be a JSON object; it was empty"));
        }
        return body;
    }

    /** 400 {@code {"error":{"code","message","field"?}}}. */
    public static HttpReply bad(ErrorCode code, String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        if (field != null) error.put("field", field);
        return HttpReply.json(400, Map.of("error", error));
    }
}
