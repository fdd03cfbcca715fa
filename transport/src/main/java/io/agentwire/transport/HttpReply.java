package io.agentwire.transport;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response as a route handler returns it. The transport adds {@code content-length} and the keep-alive
 * headers; {@code headers} holds any others. {@code body} is not copied: do not modify it afterwards.
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    public HttpReply {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100..599, was " + status);
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** {@code body} (a POJO, a {@code Map}, a Jackson {@code JsonNode} …) written as JSON. */
    public static HttpReply json(int status, Object body) {
        return new HttpReply(status, JSON, Json.bytes(body), Map.of());
    }

    /** Plain UTF-8 text. */
    public static HttpReply text(int status, String body) {
        return new HttpReply(status, TEXT, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The transport's error shape: {@code {"error":{"code":…,"message":…}}}. */
    public static HttpReply error(int status, String code, String message) {
        return json(status, Json.error(code, message));
    }

    /** This reply without its body, for a HEAD request (content-length still says how long it would be). */
    HttpReply withoutBody() {
        return withHeader("content-length", Integer.toString(body.length)).withBody(new byte[0]);
    }

    private HttpReply withBody(byte[] b) {
        return new HttpReply(status, contentType, b, headers);
    }

    /** This reply with one more header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }
}
