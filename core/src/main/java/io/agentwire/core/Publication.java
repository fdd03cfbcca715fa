package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a stream: its payload and the offset the Broker (or the durable EventLog) assigned to it.
 *
 * <p>The payload is a Jackson tree that nobody mutates after publication. Each wire format encodes a
 * publication once, whatever the number of subscribers: {@link #encoded(WireFormat)} memoizes the result
 * per format (rule 7 of DESIGN.md).
 */
public final class Publication {
    private final String stream;
    private final long offset;
    private final String epoch;
    private final long timeMillis;
    private final JsonNode data;
    /** Format, encoding, format, encoding…: replaced (never changed) under this object's lock; most have one. */
    private volatile Object[] encodings;
    private StreamPosition position;

    public Publication(String stream, long offset, String epoch, long timeMillis, JsonNode data) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (offset < 1) throw new IllegalArgumentException("offset must be >= 1, was " + offset);
        this.offset = offset;
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        this.timeMillis = timeMillis;
        this.data = Objects.requireNonNull(data, "data");
    }

    public String stream() { return stream; }
    public long offset() { return offset; }
    public String epoch() { return epoch; }
    public long timeMillis() { return timeMillis; }
    public JsonNode data() { return data; }
    /** Where this publication is: one instance per publication (a broadcast's recipients each keep it). */
    public StreamPosition position() {
        StreamPosition at = position; // racy single check: a record's fields are final, any thread may make it once
        if (at == null) position = at = new StreamPosition(offset, epoch);
        return at;
    }

    /**
     * This publication with its payload in {@link CompactJson}'s form, for keeping (this one if it already is): a
     * new object, so its encodings are not shared with this one's.
     */
    Publication compacted() {
        JsonNode kept = CompactJson.compact(data);
        return kept == data ? this : new Publication(stream, offset, epoch, timeMillis, kept);
    }

    /** The publication in the given wire format, encoded at most once per format. */
    @SuppressWarnings("unchecked")
    public <T> T encoded(WireFormat<T> format) {
        Object[] known = encodings;
        int i = indexOf(known, format);
        if (i >= 0) return (T) known[i + 1];
        synchronized (this) {
            known = encodings;
            i = indexOf(known, format);
            if (i >= 0) return (T) known[i + 1];
            T value = format.encode(this);
            known = encodings; // the encoder may have asked for another format of this publication
            Object[] next = known == null ? new Object[2] : Arrays.copyOf(known, known.length + 2);
            next[next.length - 2] = format;
            next[next.length - 1] = value;
            encodings = next;
            return value;
        }
    }

    private static int indexOf(Object[] known, WireFormat<?> format) {
        if (known != null) {
            for (int i = 0; i < known.length; i += 2) {
                if (known[i] == format) return i;
            }
        }
        return -1;
    }

    @Override public String toString() {
        return "Publication[" + stream + "@" + offset + "/" + epoch + "]";
    }
}
