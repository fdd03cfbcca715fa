package io.agentwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One envelope as the server sent it (docs/envelope.md): the event's name, its session, its {@code seq} (session
 * events only), and its {@code content} and {@code metadata} as Jackson trees.
 *
 * @param event        {@code namespace.name}, e.g. {@code agent.partial_answer}
 * @param sessionId    the session, or {@code null} before one exists
 * @param connectionId the server's id for the connection that carried it
 * @param stepId       the step it belongs to ({@code agent.user_confirm}) or the request it answers, or {@code null}
 * @param timestamp    when the server made it (ISO-8601), or {@code null}
 * @param content      what a person should see (never {@code null})
 * @param metadata     machine data: ids, timings, codes (never {@code null})
 * @param seq          the session sequence number, or {@code null} for {@code system.*} and per-request errors
 * @param raw          the whole envelope
 */
public record Envelope(String event, String sessionId, String connectionId, String stepId, String timestamp,
                       ObjectNode content, ObjectNode metadata, Long seq, JsonNode raw) {

    static Envelope of(JsonNode n) {
        return new Envelope(n.path("event").asText(), text(n, "session_id"), text(n, "connection_id"), text(n, "step_id"),
                text(n, "timestamp"), object(n.get("content")), object(n.get("metadata")),
                n.path("seq").canConvertToLong() ? n.get("seq").asLong() : null, n);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ObjectNode object(JsonNode n) {
        return n instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
    }

    /** {@code metadata.run_id}, or {@code null}. */
    public String runId() {
        return text(metadata, "run_id");
    }

    /** {@code content.text}, or {@code null}. */
    public String text() {
        return text(content, "text");
    }

    /** {@code metadata.code} (errors, notices carry theirs in {@code content.code}), or {@code null}. */
    public String code() {
        String code = text(metadata, "code");
        return code != null ? code : text(content, "code");
    }

    /** Whether this is a session event (it has a {@code seq}). */
    public boolean isSessionEvent() {
        return seq != null;
    }

    @Override
    public String toString() {
        return raw.toString();
    }
}
