package io.agentwire.protocol.engineio;

/**
 * The one error {@link EngineIo4Codec} reports for input that is not Engine.IO v4: an empty packet, an unknown
 * packet type, bad base64. The server answers it by closing the session ("parse error").
 */
public final class EngineIo4ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public EngineIo4ParseException(String message) {
        super(message);
    }
}
