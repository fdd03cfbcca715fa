package io.agentwire.core;

/**
 * Why the server closed a connection, with the WebSocket close code it uses. Codes below 4000 are the
 * standard ones of RFC 6455; 4xxx are AgentWire's own and documented in docs/errors.md.
 */
public enum DisconnectReason {
    NORMAL(1000, "normal closure", null),
    SHUTDOWN(1001, "server shutting down", ErrorCode.SERVER_SHUTDOWN),
    HEARTBEAT_TIMEOUT(1001, "heartbeat timeout", ErrorCode.HEARTBEAT_TIMEOUT),
    PROTOCOL_ERROR(1002, "protocol error", null),
    INVALID_PAYLOAD(1007, "invalid UTF-8 in text message", ErrorCode.INVALID_JSON),
    UNSUPPORTED_DATA(1003, "binary frames are not supported", ErrorCode.UNSUPPORTED_FRAME),
    POLICY_VIOLATION(1008, "policy violation", null),
    /** The {@code tracking} dialect's answer to a client id that fails its check (spec 002 names the text). */
    INVALID_CLIENT_ID(1008, "Invalid client ID", ErrorCode.INVALID_FIELD),
    MESSAGE_TOO_BIG(1009, "message too big", ErrorCode.PAYLOAD_TOO_LARGE),
    INTERNAL_ERROR(1011, "internal error", ErrorCode.INTERNAL_ERROR),
    SLOW_CONSUMER(4008, "slow consumer: send queue overflow", ErrorCode.SLOW_CONSUMER);

    private final int closeCode;
    private final String text;
    private final ErrorCode errorCode;

    DisconnectReason(int closeCode, String text, ErrorCode errorCode) {
        this.closeCode = closeCode;
        this.text = text;
        this.errorCode = errorCode;
    }

    /** The WebSocket close code. */
    public int closeCode() { return closeCode; }
    /** The close reason text (short, ASCII, stable). */
    public String text() { return text; }
    /** The matching error code, if any. */
    public ErrorCode errorCode() { return errorCode; }
}
