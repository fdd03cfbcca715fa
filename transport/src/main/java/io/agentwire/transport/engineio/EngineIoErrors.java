package io.agentwire.transport.engineio;

import io.agentwire.transport.HttpReply;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Engine.IO server's error answers: status 400 (403 for {@link #FORBIDDEN}) with the JSON body
 * {@code {"code":<n>,"message":"…"}} that engine.io clients and the reference server use.
 */
final class EngineIoErrors {
    static final int UNKNOWN_TRANSPORT = 0;
    static final int UNKNOWN_SID = 1;
    static final int BAD_HANDSHAKE_METHOD = 2;
    static final int BAD_REQUEST = 3;
    static final int FORBIDDEN = 4;
    static final int UNSUPPORTED_PROTOCOL_VERSION = 5;
    private static final String[] MESSAGES = {"Transport unknown", "Session ID unknown", "Bad handshake method",
            "Bad request", "Forbidden", "Unsupported protocol version"};

    private EngineIoErrors() { }

    static HttpReply reply(int code, Map<String, String> headers) {
        String body = "{\"code\":" + code + ",\"message\":\"" + MESSAGES[code] + "\"}";
        return new HttpReply(code == FORBIDDEN ? 403 : 400, "application/json",
                body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * 503 for a handshake while too many sessions wait to be established (docs/limits.md); code 6 is AgentWire's,
     * beyond the reference server's 0–5. Clients retry, as they do after any failed handshake.
     */
    static HttpReply busy(Map<String, String> headers) {
        java.util.Map<String, String> h = new java.util.HashMap<>(headers);
        h.put("retry-after", "1");
        return new HttpReply(503, "application/json",
                "{\"code\":6,\"message\":\"Server busy\"}".getBytes(StandardCharsets.UTF_8), h);
    }

    static String message(int code) {
        return MESSAGES[code];
    }
}
