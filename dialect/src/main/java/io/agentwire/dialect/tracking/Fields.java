package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.InvalidFieldException;

/** Reads and checks the fields of a backend's report, failing with {@link InvalidFieldException} naming the field. */
final class Fields {
    static final int MAX_ID = 200;
    static final int MAX_TEXT = 10_000;

    private Fields() { }

    static ObjectNode object(JsonNode body) {
        if (!(body instanceof ObjectNode o)) {
            throw new InvalidFieldException(ErrorCode.INVALID_MESSAGE, null, "the body must be a JSON object");
        }
        return o;
    }

    /** A required string; the value's rules are checked by the report's constructor. */
    static String string(JsonNode node, String name, String path) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw missing(path);
        if (!v.isTextual()) throw invalid(path, "'" + path + "' must be a string");
        return v.textValue();
    }

    /** An optional string, or null. */
    static String optionalString(JsonNode node, String name, String path) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw invalid(path, "'" + path + "' must be a string");
        return v.textValue();
    }

    static int integer(JsonNode node, String name, String path) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw missing(path);
        if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            throw invalid(path, "'" + path + "' must be an integer");
        }
        return v.intValue();
    }

    /** An optional object, copied (null: an empty object). */
    static ObjectNode optionalObject(JsonNode node, String name, String path) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return JsonNodeFactory.instance.objectNode();
        if (!v.isObject()) throw invalid(path, "'" + path + "' must be an object");
        return (ObjectNode) v.deepCopy();
    }

    /** Checks a required identifier: 1..200 characters, not blank. */
    static String id(String value, String path) {
        if (value == null) throw missing(path);
        if (value.isBlank() || value.length() > MAX_ID) {
            throw invalid(path, "'" + path + "' must be a non-blank string of at most " + MAX_ID + " characters");
        }
        return value;
    }

    /** Checks an optional identifier (null allowed). */
    static String optionalId(String value, String path) {
        return value == null ? null : id(value, path);
    }

    /** Checks a text of at most 10 000 characters; null becomes {@code ""}. */
    static String text(String value, String path) {
        if (value == null) return "";
        if (value.length() > MAX_TEXT) {
            throw invalid(path, "'" + path + "' must be at most " + MAX_TEXT + " characters");
        }
        return value;
    }

    static ObjectNode copy(ObjectNode o) {
        return o == null ? JsonNodeFactory.instance.objectNode() : o.deepCopy();
    }

    static InvalidFieldException missing(String path) {
        return new InvalidFieldException(ErrorCode.MISSING_FIELD, path, "the field '" + path + "' is required");
    }

    static InvalidFieldException invalid(String path, String message) {
        return new InvalidFieldException(ErrorCode.INVALID_FIELD, path, message);
    }
}
