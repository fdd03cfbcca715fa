package io.agentwire.agent.remote;

import io.agentwire.core.RunEvent;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The remote agents' wire format (docs/remote-agents.md): one JSON object per text frame, its kind in
 * {@code type}. Parses and validates what agents send; pure functions, no state.
 */
final class AgentWire {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
    private static final Pattern STATUS = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    static final String CONFIRM = "agent.user_confirm";
    static final long DEFAULT_CONFIRM_TIMEOUT_MS = 60_000;
    private static final long MAX_CONFIRM_TIMEOUT_MS = 86_400_000;
    private static final int MAX_LIST = 64;

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private AgentWire() { }

    /** Thrown while validating; becomes an {@link Inbound.Invalid}. */
    private static final class Bad extends RuntimeException {
        final ErrorCode code;
        final String field;

        Bad(ErrorCode code, String field, String message) {
            super(message, null, false, false);
            this.code = code;
            this.field = field;
        }
    }

    /** One text frame from an agent. */
    static Inbound parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            return new Inbound.Invalid(ErrorCode.INVALID_JSON, null, "the message is not valid JSON", null, null);
        }
        if (root == null || !root.isObject()) {
            return new Inbound.Invalid(ErrorCode.INVALID_MESSAGE, null, "the message must be a JSON object", null, null);
        }
        String runId = root.path("run_id").isTextual() ? root.path("run_id").asText() : null;
        Long n = root.path("n").canConvertToLong() && root.path("n").isIntegralNumber() ? root.path("n").asLong() : null;
        try {
            String type = text(root, "type", true);
            return switch (type) {
                case "register" -> new Inbound.Register(name(root), strings(root, "capabilities"),
                        text(root, "version", false), strings(root, "resume"));
                case "heartbeat" -> new Inbound.Heartbeat();
                case "event" -> event(root);
                case "run.end" -> new Inbound.End(text(root, "run_id", true), number(root), status(root),
                        object(root, "metadata"));
                default -> throw new Bad(ErrorCode.UNKNOWN_EVENT, "type", "unknown message type " + type
                        + " (register, heartbeat, event, run.end)");
            };
        } catch (Bad b) {
            return new Inbound.Invalid(b.code, b.field, b.getMessage(), runId, n);
        }
    }

    private static Inbound.Event event(JsonNode root) {
        String runId = text(root, "run_id", true);
        long n = number(root);
        String event = text(root, "event", true);
        if (!EVENT.matcher(event).matches() || event.startsWith("user.") || event.startsWith("system.")) {
            throw new Bad(ErrorCode.INVALID_FIELD, "event", "event must be namespace.name and not user.* or system.*, was "
                    + event);
        }
        if (event.equals(RunEvent.COMPLETED)) {
            throw new Bad(ErrorCode.INVALID_FIELD, "event", "end a run with run.end, not a pipeline.completed event");
        }
        String stepId = text(root, "step_id", false);
        ObjectNode content = object(root, "content");
        ObjectNode metadata = object(root, "metadata");
        String show = text(root, "show_content", false);
        Inbound.Confirm confirm = event.equals(CONFIRM) ? confirm(stepId, content, metadata) : null;
        return new Inbound.Event(runId, n, event, stepId, content, metadata, show, confirm);
    }

    private static Inbound.Confirm confirm(String stepId, ObjectNode content, ObjectNode metadata) {
        if (stepId == null || stepId.isBlank()) throw new Bad(ErrorCode.MISSING_FIELD, "step_id", "agent.user_confirm needs a step_id");
        JsonNode prompt = content.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw new Bad(ErrorCode.MISSING_FIELD, "content.prompt", "agent.user_confirm needs content.prompt (a string)");
        }
        List<String> options = strings(content, "options");
        JsonNode timeout = metadata.get("timeout_ms");
        long timeoutMs = DEFAULT_CONFIRM_TIMEOUT_MS;
        if (timeout != null && !timeout.isNull()) {
            if (!timeout.isIntegralNumber() || timeout.asLong() < 1 || timeout.asLong() > MAX_CONFIRM_TIMEOUT_MS) {
                throw new Bad(ErrorCode.INVALID_FIELD, "metadata.timeout_ms", "metadata.timeout_ms must be 1.."
                        + MAX_CONFIRM_TIMEOUT_MS);
            }
            timeoutMs = timeout.asLong();
        }
        String def = text(metadata, "default_option", false);
        if (def == null && !options.isEmpty()) def = options.get(0);
        if (!options.isEmpty() && !options.contains(def)) {
            throw new Bad(ErrorCode.INVALID_FIELD, "metadata.default_option", "metadata.default_option must be one of "
                    + options);
        }
        return new Inbound.Confirm(prompt.asText(), options, def, timeoutMs);
    }

    private static String name(JsonNode root) {
        String name = text(root, "name", true);
        if (!NAME.matcher(name).matches()) {
            throw new Bad(ErrorCode.INVALID_FIELD, "name", "name must be 1-64 of a-z 0-9 _ - (starting with a letter or"
                    + " digit), was " + name);
        }
        return name;
    }

    private static String status(JsonNode root) {
        String status = text(root, "status", false);
        if (status == null) return "completed";
        if (!STATUS.matcher(status).matches()) {
            throw new Bad(ErrorCode.INVALID_FIELD, "status", "status must be a lower-case word such as completed, failed,"
                    + " cancelled, rejected");
        }
        return status;
    }

    private static long number(JsonNode root) {
        JsonNode n = root.get("n");
        if (n == null || n.isNull()) throw new Bad(ErrorCode.MISSING_FIELD, "n", "n is required");
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1) {
            throw new Bad(ErrorCode.INVALID_FIELD, "n", "n must be an integer >= 1");
        }
        return n.asLong();
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new Bad(ErrorCode.MISSING_FIELD, field, field + " is required");
            return null;
        }
        if (!v.isTextual() || (required && v.asText().isBlank())) {
            throw new Bad(ErrorCode.INVALID_FIELD, field, field + " must be a" + (required ? " non-empty" : "") + " string");
        }
        return v.asText();
    }

    private static ObjectNode object(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return JSON.createObjectNode();
        if (!v.isObject()) throw new Bad(ErrorCode.INVALID_FIELD, field, field + " must be an object");
        return (ObjectNode) v;
    }

    private static List<String> strings(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray() || v.size() > MAX_LIST) {
            throw new Bad(ErrorCode.INVALID_FIELD, field, field + " must be an array of at most " + MAX_LIST + " strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new Bad(ErrorCode.INVALID_FIELD, field, field + " must hold non-empty strings");
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }
}
