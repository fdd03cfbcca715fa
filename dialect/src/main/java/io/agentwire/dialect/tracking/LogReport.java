package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.InvalidFieldException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Log lines of a tracked session as a backend reports them: kept with the session (created if unknown; the last
 * {@code log-lines} are kept) and streamed to the dashboards that asked for this session's logs. Validated on
 * construction ({@link InvalidFieldException} names the field, e.g. {@code logs[2].message}).
 *
 * @param sessionId the tracked session, 1..200 characters
 * @param lines 1..100 lines
 */
public record LogReport(String sessionId, List<Line> lines) {
    public static final int MAX_LINES = 100;
    /** The levels a line may have (spec 002 shows {@code info}). */
    public static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error");

    public LogReport {
        sessionId = Fields.id(sessionId, "session_id");
        if (lines == null) throw Fields.missing("logs");
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw Fields.invalid("logs", "'logs' must hold 1.." + MAX_LINES + " lines, had " + lines.size());
        }
        lines = List.copyOf(lines);
    }

    /**
     * One line, as {@code session_logs} carries it.
     *
     * @param level one of {@link #LEVELS} (any case; null: {@code info})
     * @param agent the agent that logged it, at most 200 characters (null: empty)
     * @param message 1..10 000 characters
     * @param details any object (null: empty)
     */
    public record Line(String level, String agent, String message, ObjectNode details) {
        public Line {
            level = level == null ? "info" : level.toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(level)) throw Fields.invalid("level", "'level' must be one of " + LEVELS + ", was '" + level + "'");
            agent = agent == null ? "" : agent;
            if (agent.length() > Fields.MAX_ID) throw Fields.invalid("agent", "'agent' must be at most " + Fields.MAX_ID + " characters");
            if (message == null) throw Fields.missing("message");
            if (message.isEmpty()) throw Fields.invalid("message", "'message' must not be empty");
            message = Fields.text(message, "message");
            details = Fields.copy(details);
        }
    }

    /** Reads {@code {"session_id", "logs": [{"level"?, "agent"?, "message", "details"?}, …]}}. */
    public static LogReport fromJson(JsonNode body) {
        ObjectNode o = Fields.object(body);
        String sessionId = Fields.string(o, "session_id", "session_id");
        JsonNode logs = o.get("logs");
        if (logs == null || logs.isNull()) throw Fields.missing("logs");
        if (!logs.isArray()) throw Fields.invalid("logs", "'logs' must be an array of lines");
        if (logs.size() > MAX_LINES) throw Fields.invalid("logs", "'logs' must hold 1.." + MAX_LINES + " lines, had " + logs.size());
        List<Line> lines = new ArrayList<>(logs.size());
        for (int i = 0; i < logs.size(); i++) {
            String at = "logs[" + i + "]";
            JsonNode l = logs.get(i);
            if (!l.isObject()) throw Fields.invalid(at, "'" + at + "' must be an object");
            try {
                lines.add(new Line(Fields.optionalString(l, "level", at + ".level"), Fields.optionalString(l, "agent", at + ".agent"),
                        Fields.string(l, "message", at + ".message"), Fields.optionalObject(l, "details", at + ".details")));
            } catch (InvalidFieldException e) {
                String field = e.field() != null && !e.field().startsWith(at) ? at + "." + e.field() : e.field();
                String message = e.getMessage().replace("'" + e.field() + "'", "'" + field + "'");
                throw new InvalidFieldException(e.code(), field, message);
            }
        }
        return new LogReport(sessionId, lines);
    }

    /** The report as {@link #fromJson} reads it (the tracking journal keeps it so). */
    public ObjectNode toJson() {
        ObjectNode o = TrackingJson.NODES.objectNode().put("session_id", sessionId);
        var logs = o.putArray("logs");
        for (Line l : lines) {
            logs.addObject().put("level", l.level()).put("agent", l.agent()).put("message", l.message())
                    .set("details", l.details().deepCopy());
        }
        return o;
    }
}
