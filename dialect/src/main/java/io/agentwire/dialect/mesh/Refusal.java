package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;

/** A request refused with one of spec 003's error codes (and details, e.g. the field of a VALIDATION_ERROR). */
final class Refusal extends Exception {
    final String code;
    final JsonNode details;

    Refusal(String code, String message, JsonNode details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
    }

    static Refusal of(String code, String message) {
        return new Refusal(code, message, null);
    }

    static Refusal invalid(String field, String message) {
        return new Refusal("VALIDATION_ERROR", message, Json.obj().put("field", field));
    }
}
