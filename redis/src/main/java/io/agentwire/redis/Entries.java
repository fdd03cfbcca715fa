package io.agentwire.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.Publication;
import java.util.ArrayList;
import java.util.List;

/** Publications to and from their Redis shapes: the JSON payload, Stream entries, fan-out messages. */
final class Entries {
    static final ObjectMapper JSON = new ObjectMapper();

    private Entries() { }

    static String json(JsonNode data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload can not be written as JSON", e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload is not JSON", e);
        }
    }

    /**
     * A fan-out message: {@code OFFSET:EPOCH:TIME:LEN:STREAM} followed by the JSON payload, where LEN is the
     * stream name's length (so a name may hold any character).
     */
    static Publication fromMessage(String m) {
        int a = m.indexOf(':');
        int b = m.indexOf(':', a + 1);
        int c = m.indexOf(':', b + 1);
        int d = m.indexOf(':', c + 1);
        if (a < 0 || b < 0 || c < 0 || d < 0) throw new IllegalArgumentException("not a fan-out message");
        long offset = Long.parseLong(m, 0, a, 10);
        String epoch = m.substring(a + 1, b);
        long time = Long.parseLong(m, b + 1, c, 10);
        int len = Integer.parseInt(m, c + 1, d, 10);
        // Redis counts bytes; the name is ASCII in practice, otherwise take its UTF-8 length into account
        String rest = m.substring(d + 1);
        int chars = charsForBytes(rest, len);
        return new Publication(rest.substring(0, chars), offset, epoch, time, parse(rest.substring(chars)));
    }

    /** The Stream entries of an XRANGE reply ({@code [[id, [k, v, …]], …]}) as publications. */
    @SuppressWarnings("unchecked")
    static List<Publication> fromEntries(String stream, String epoch, Object reply) {
        List<Object> entries = reply instanceof List<?> l ? (List<Object>) l : List.of();
        List<Publication> out = new ArrayList<>(entries.size());
        for (Object o : entries) {
            List<Object> entry = (List<Object>) o;
            String id = (String) entry.get(0);
            List<Object> fields = (List<Object>) entry.get(1);
            long time = 0;
            String data = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String k = (String) fields.get(i);
                if (k.equals("t")) time = Long.parseLong((String) fields.get(i + 1));
                else if (k.equals("d")) data = (String) fields.get(i + 1);
            }
            long offset = Long.parseLong(id, 0, id.indexOf('-'), 10);
            out.add(new Publication(stream, offset, epoch, time, parse(data)));
        }
        return out;
    }

    static long number(Object o) {
        if (o instanceof Long l) return l;
        return Long.parseLong(String.valueOf(o));
    }

    private static int charsForBytes(String s, int bytes) {
        int seen = 0;
        int i = 0;
        while (i < s.length() && seen < bytes) {
            int cp = s.codePointAt(i);
            seen += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return i;
    }
}
