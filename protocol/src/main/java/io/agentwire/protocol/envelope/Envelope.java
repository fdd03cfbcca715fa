package io.agentwire.protocol.envelope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One message of the {@code envelope} protocol (specs/envelope.md), as a client sent it and after validation.
 * {@code content} and {@code metadata} are never null (empty objects when absent).
 */
public record Envelope(String event, String sessionId, String stepId, ObjectNode content, ObjectNode metadata) {
    public Envelope {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** The namespace of the event: {@code user} for {@code user.message}. */
    public String namespace() {
        return event.substring(0, event.indexOf('.'));
    }
}
