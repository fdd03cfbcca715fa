package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.transport.socketio.Ack;
import java.time.Instant;
import java.util.UUID;

/**
 * One event a client sent, as the handlers see it: the member, whether it came in the real SDK's vocabulary (its
 * name is a real one, or its payload is the {@code {eventId, eventType, timestamp, agentId, channelId, data}}
 * envelope), the request ({@code data} of the envelope, else the payload itself) and the acknowledgement. Answers go
 * back in the vocabulary of the request: {@link #reply} and {@link #fail}.
 */
final class Call {
    final Member member;
    final String event;
    final boolean real;
    final ObjectNode data;
    final JsonNode envelope; // null for the document's vocabulary
    final Ack ack;
    final long now;

    Call(Member member, String event, boolean real, ObjectNode data, JsonNode envelope, Ack ack, long now) {
        this.member = member;
        this.event = event;
        this.real = real;
        this.data = data;
        this.envelope = envelope;
        this.ack = ack;
        this.now = now;
    }

    /** The channel of the request: {@code channelId} of the data, else of the envelope. */
    String channelId() {
        String c = Json.text(data, "channelId");
        return c != null || envelope == null ? c : Json.text(envelope, "channelId");
    }

    /** A text field that must be present and non-blank. */
    String required(String field) throws Refusal {
        String v = Json.text(data, field);
        if (v == null || v.isBlank()) throw Refusal.invalid(field, "'" + field + "' is required (a non-empty string)");
        return v;
    }

    /** Answers the caller: the document's event and payload, or the real event in an envelope; the ack either way. */
    void reply(String specEvent, ObjectNode specPayload, String realEvent, ObjectNode realData) {
        if (real) {
            if (realEvent != null) member.socket.emit(realEvent, envelope(realEvent, member.agentId(), channelId(), realData, now));
        } else if (specEvent != null) {
            member.socket.emit(specEvent, specPayload);
        }
        if (ack.requested()) {
            ObjectNode a = Json.obj().put("success", true);
            a.setAll(real ? realData : specPayload);
            ack.send(a);
        }
    }

    /** Acknowledges without an event. */
    void ok(ObjectNode result) {
        if (ack.requested()) ack.send(Json.obj().put("success", true).setAll(result));
    }

    /** The failure in the family's error event and the document's {@code error}, and the ack. */
    void fail(String family, Refusal r) {
        ObjectNode err = Json.obj().put("code", r.code).put("message", r.getMessage());
        if (r.details != null) err.set("details", r.details);
        String familyEvent = real && family.equals("memory") ? event + ":error"
                : real && family.equals("control_loop") ? "controlLoop:error" : family + ":error";
        if (real) {
            ObjectNode d = err.deepCopy().put("error", r.getMessage());
            String op = Json.text(data, "operationId");
            if (op != null) d.put("operationId", op);
            member.socket.emit(familyEvent, envelope(familyEvent, member.agentId(), channelId(), d, now));
        } else {
            member.socket.emit(familyEvent, err);
        }
        member.socket.emit("error", err);
        if (ack.requested()) ack.send(Json.obj().put("success", false).put("error", r.getMessage()).put("code", r.code));
    }

    /** The real BaseEventPayload. */
    static ObjectNode envelope(String eventType, String agentId, String channelId, ObjectNode data, long now) {
        ObjectNode e = Json.obj().put("eventId", UUID.randomUUID().toString()).put("eventType", eventType)
                .put("timestamp", now);
        e.put("agentId", agentId == null ? "" : agentId);
        e.put("channelId", channelId == null ? "" : channelId);
        e.set("data", data);
        return e;
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
