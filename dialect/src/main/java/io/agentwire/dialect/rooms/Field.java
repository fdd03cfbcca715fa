package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.InvalidFieldException;
import java.util.List;

/**
 * One documented field of an event's {@code data}, and the check its value must pass. A field that is absent or
 * {@code null} is missing: an error when it is required, fine otherwise. Fields the document does not list are
 * passed on as they are.
 */
record Field(String name, Kind kind, boolean required, List<String> values, double min, double max) {

    enum Kind { ID, TEXT, ENUM, NUMBER, INTEGER, OBJECT, STRINGS, ARRAY }

    static Field id(String name) { return new Field(name, Kind.ID, true, List.of(), 0, 0); }

    static Field optionalId(String name) { return new Field(name, Kind.ID, false, List.of(), 0, 0); }

    static Field text(String name) { return new Field(name, Kind.TEXT, true, List.of(), 0, 0); }

    static Field optionalText(String name) { return new Field(name, Kind.TEXT, false, List.of(), 0, 0); }

    static Field oneOf(String name, String... values) { return new Field(name, Kind.ENUM, true, List.of(values), 0, 0); }

    static Field optionalOneOf(String name, String... values) {
        return new Field(name, Kind.ENUM, false, List.of(values), 0, 0);
    }

    static Field number(String name, double min, double max) { return new Field(name, Kind.NUMBER, true, List.of(), min, max); }

    static Field optionalNumber(String name, double min, double max) {
        return new Field(name, Kind.NUMBER, false, List.of(), min, max);
    }

    static Field optionalInteger(String name, double min, double max) {
        return new Field(name, Kind.INTEGER, false, List.of(), min, max);
    }

    static Field optionalObject(String name) { return new Field(name, Kind.OBJECT, false, List.of(), 0, 0); }

    static Field optionalStrings(String name) { return new Field(name, Kind.STRINGS, false, List.of(), 0, 0); }

    static Field optionalArray(String name) { return new Field(name, Kind.ARRAY, false, List.of(), 0, 0); }

    /** Checks this field of {@code data}; the error names it as {@code data.<name>}. */
    void check(JsonNode data) {
        String path = "data." + name;
        JsonNode v = data.get(name);
        if (v == null || v.isNull()) {
            if (required) throw InvalidFieldException.missing(path);
            return;
        }
        switch (kind) {
            case ID -> {
                if (!v.isTextual() || !RoomName.validId(v.textValue())) {
                    throw InvalidFieldException.invalid(path, "'" + path + "' must be a string of 1.." + RoomName.MAX_ID
                            + " characters without whitespace");
                }
            }
            case TEXT -> {
                if (!v.isTextual()) throw InvalidFieldException.invalid(path, "'" + path + "' must be a string");
            }
            case ENUM -> {
                if (!v.isTextual() || !values.contains(v.textValue())) {
                    throw InvalidFieldException.invalid(path, "'" + path + "' must be one of " + String.join(", ", values)
                            + (v.isTextual() ? ", was '" + shorten(v.textValue()) + "'" : ""));
                }
            }
            case NUMBER, INTEGER -> {
                boolean integral = kind == Kind.INTEGER;
                if (!v.isNumber() || (integral && !v.canConvertToExactIntegral())
                        || v.doubleValue() < min || v.doubleValue() > max) {
                    throw InvalidFieldException.invalid(path, "'" + path + "' must be " + (integral ? "an integer" : "a number")
                            + (max == Double.POSITIVE_INFINITY ? " of at least " + format(min)
                                    : " from " + format(min) + " to " + format(max)));
                }
            }
            case OBJECT -> {
                if (!v.isObject()) throw InvalidFieldException.invalid(path, "'" + path + "' must be an object");
            }
            case STRINGS -> {
                if (!v.isArray()) throw InvalidFieldException.invalid(path, "'" + path + "' must be an array of strings");
                for (int i = 0; i < v.size(); i++) {
                    if (!v.get(i).isTextual()) {
                        throw InvalidFieldException.invalid(path + "[" + i + "]", "'" + path + "[" + i + "]' must be a string");
                    }
                }
            }
            case ARRAY -> {
                if (!v.isArray()) throw InvalidFieldException.invalid(path, "'" + path + "' must be an array");
            }
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 63) + "…";
    }
}
