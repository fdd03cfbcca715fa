package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
    private volatile ConcurrentHashMap<WireFormat<?>, Object> encodings;

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
    public StreamPosition position() { return new StreamPosition(offset, epoch); }

    /** The publication in the given wire format, encoded at most once per format. */
    @SuppressWarnings("unchecked")
    public <T> T encoded(WireFormat<T> format) {
        ConcurrentHashMap<WireFormat<?>, Object> map = encodings;
        if (map == null) {
            synchronized (this) {
                map = encodings;
                if (map == null) encodings = map = new ConcurrentHashMap<>(4);
            }
        }
        Object cached = map.get(format);
        if (cached == null) cached = map.computeIfAbsent(format, f -> format.encode(this));
        return (T) cached;
    }

    @Override public String toString() {
        return "Publication[" + stream + "@" + offset + "/" + epoch + "]";
    }
}
