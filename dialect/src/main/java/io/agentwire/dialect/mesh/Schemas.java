package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A small JSON Schema validator for tool arguments: the subset tools declare in practice — {@code type} (one or a
 * list of {@code object}, {@code array}, {@code string}, {@code number}, {@code integer}, {@code boolean},
 * {@code null}), {@code required}, {@code properties}, {@code additionalProperties: false}, {@code items},
 * {@code enum}, {@code minimum} / {@code maximum}, {@code minLength} / {@code maxLength}. Other keywords are
 * accepted and not checked (docs/mesh.md says so). The first violation is a {@code VALIDATION_ERROR} naming the
 * field ({@code arguments.a.b[2]}).
 */
final class Schemas {
    private Schemas() { }

    /** Whether {@code schema} is usable as a tool's input schema (an object whose {@code type}, if any, is text or a list). */
    static String problem(JsonNode schema) {
        if (schema == null || !schema.isObject()) return "'inputSchema' must be a JSON Schema object";
        JsonNode t = schema.get("type");
        if (t != null && !t.isTextual() && !t.isArray()) return "'inputSchema.type' must be a type name or a list of them";
        return null;
    }

    static void validate(JsonNode schema, JsonNode value, String path) throws Refusal {
        if (schema == null || !schema.isObject()) return;
        JsonNode type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            throw Refusal.invalid(path, "'" + path + "' must be " + (type.isArray() ? "one of " + type : "a" + (type.asText().matches("[aeiou].*") ? "n " : " ") + type.asText()));
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray()) {
            boolean any = false;
            for (JsonNode e : en) any |= e.equals(value);
            if (!any) throw Refusal.invalid(path, "'" + path + "' must be one of " + en);
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.doubleValue() < schema.get("minimum").doubleValue()) {
                throw Refusal.invalid(path, "'" + path + "' must be at least " + schema.get("minimum"));
            }
            if (schema.has("maximum") && value.doubleValue() > schema.get("maximum").doubleValue()) {
                throw Refusal.invalid(path, "'" + path + "' must be at most " + schema.get("maximum"));
            }
        }
        if (value.isTextual()) {
            int n = value.textValue().codePointCount(0, value.textValue().length());
            if (schema.has("minLength") && n < schema.get("minLength").asInt()) throw Refusal.invalid(path, "'" + path + "' is too short");
            if (schema.has("maxLength") && n > schema.get("maxLength").asInt()) throw Refusal.invalid(path, "'" + path + "' is too long");
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (r.isTextual() && !value.has(r.textValue())) {
                    String f = path + "." + r.textValue();
                    throw Refusal.invalid(f, "'" + f + "' is required");
                }
            }
            JsonNode props = schema.path("properties");
            boolean closed = schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").booleanValue();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String f = path + "." + e.getKey();
                if (props.has(e.getKey())) validate(props.get(e.getKey()), e.getValue(), f);
                else if (closed) throw Refusal.invalid(f, "'" + f + "' is not allowed");
            }
        }
        if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) validate(schema.get("items"), value.get(i), path + "[" + i + "]");
        }
    }

    private static boolean matchesType(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (matchesType(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }
}
