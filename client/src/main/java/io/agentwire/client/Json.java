package io.agentwire.client;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of the client. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() { }
}
