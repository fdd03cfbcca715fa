package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.InvalidFieldException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * One server event of spec 004 as a backend publishes it, checked, in the documented shape
 * {@code {type, timestamp, source, data}}, with the rooms it goes to.
 *
 * @param type the event type
 * @param timestamp ISO 8601, the publisher's or the time it was received
 * @param source the publishing service, the publisher's or the type's default (e.g. {@code project_service})
 * @param data the event's data, checked against the type's documented fields; not modified afterwards
 */
public record ServerEvent(EventType type, String timestamp, String source, ObjectNode data) {
    /** The longest {@code source} accepted. */
    static final int MAX_SOURCE = 200;

    public ServerEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(data, "data");
        type.check(data);
    }

    /**
     * Reads a backend's {@code {"type", "data", "source"?, "timestamp"?}}: {@code type} one of {@link EventType},
     * {@code data} an object with the type's fields, {@code source} a string (default: the type's),
     * {@code timestamp} an ISO 8601 date-time with offset (default: now). Other members are ignored.
     *
     * @throws InvalidFieldException naming the first bad field
     */
    public static ServerEvent fromJson(JsonNode body, Clock clock) {
        if (body == null || !body.isObject()) {
            throw new InvalidFieldException(ErrorCode.INVALID_MESSAGE, null, "the body must be a JSON object");
        }
        JsonNode t = body.get("type");
        if (t == null || t.isNull()) throw InvalidFieldException.missing("type");
        if (!t.isTextual()) throw InvalidFieldException.invalid("type", "'type' must be a string");
        EventType type = EventType.of(t.textValue());
        if (type == null) {
            throw new InvalidFieldException(ErrorCode.UNKNOWN_EVENT, "type", "'type' must be one of the events of "
                    + "the SWE Agent WebSocket API (project.updated, agent.status_changed, …; see docs/rooms.md)");
        }
        JsonNode d = body.get("data");
        if (d == null || d.isNull()) throw InvalidFieldException.missing("data");
        if (!d.isObject()) throw InvalidFieldException.invalid("data", "'data' must be an object");
        String source = type.defaultSource();
        JsonNode s = body.get("source");
        if (s != null && !s.isNull()) {
            if (!s.isTextual() || s.textValue().isBlank() || s.textValue().length() > MAX_SOURCE) {
                throw InvalidFieldException.invalid("source", "'source' must be a non-blank string of at most "
                        + MAX_SOURCE + " characters");
            }
            source = s.textValue();
        }
        String timestamp = Messages.timestamp(clock);
        JsonNode ts = body.get("timestamp");
        if (ts != null && !ts.isNull()) {
            if (!ts.isTextual() || !isDateTime(ts.textValue())) {
                throw InvalidFieldException.invalid("timestamp",
                        "'timestamp' must be an ISO 8601 date-time with an offset, e.g. 2024-11-08T10:30:00Z");
            }
            timestamp = ts.textValue();
        }
        return new ServerEvent(type, timestamp, source, ((ObjectNode) d).deepCopy());
    }

    /** The rooms the document sends this event to. */
    public List<RoomName> rooms() {
        return type.rooms(data);
    }

    /** The payload clients receive: {@code {type, timestamp, source, data}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", type.wireName());
        o.put("timestamp", timestamp);
        o.put("source", source);
        o.set("data", data);
        return o;
    }

    private static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
