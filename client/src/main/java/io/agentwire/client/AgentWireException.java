package io.agentwire.client;

/**
 * A failure: an error the server sent ({@code error.*}, {@code system.error}; {@link #code()} is its
 * {@code metadata.code}, e.g. {@code AGENT_NOT_FOUND}, {@code SESSION_EXPIRED}) or one of the client's own
 * ({@code CONNECT_FAILED}, {@code AUTH_FAILED}, {@code HEARTBEAT_TIMEOUT}, {@code TIMEOUT}, {@code CLIENT_CLOSED},
 * {@code RECONNECT_FAILED}, {@code INVALID_STATE}, {@code SESSION_REQUIRED}).
 */
public final class AgentWireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient Envelope envelope;

    /** A client-side failure with a stable {@code code}. */
    public AgentWireException(String code, String message) {
        this(code, message, null, null);
    }

    /** A failure with a stable {@code code}, the server's error envelope (or null) and a cause (or null). */
    public AgentWireException(String code, String message, Envelope envelope, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
        this.envelope = envelope;
    }

    static AgentWireException from(Envelope e) {
        String code = e.code() != null ? e.code() : e.event();
        String detail = e.metadata().path("detail").asText(e.content().path("message").asText(e.event()));
        return new AgentWireException(code, detail, e, null);
    }

    /** The stable error code. */
    public String code() {
        return code;
    }

    /** The server's error envelope, or {@code null} for the client's own failures. */
    public Envelope envelope() {
        return envelope;
    }
}
