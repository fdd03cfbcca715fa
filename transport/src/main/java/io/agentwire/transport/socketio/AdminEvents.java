package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The Admin UI's aggregated events ({@code rawConnection}, {@code rawDisconnection} with the reason,
 * {@code packetsIn}/{@code packetsOut}, {@code bytesIn}/{@code bytesOut}) counted per second, as
 * {@code @socket.io/admin-ui}'s event buffer. Counting is lock-free; each Admin UI connection reads the seconds it has
 * not seen yet ({@link #since}), so several of them each get every count. Seconds older than {@link #KEEP_SECONDS}
 * are dropped.
 */
final class AdminEvents {
    static final int KEEP_SECONDS = 30;
    private static final String SEP = "\u0000";

    private final ConcurrentSkipListMap<Long, ConcurrentHashMap<String, LongAdder>> seconds = new ConcurrentSkipListMap<>();
    private final LongSupplier clock;

    AdminEvents(LongSupplier millis) {
        this.clock = millis;
    }

    void add(String type, String subType, long count) {
        long second = clock.getAsLong() / 1000;
        seconds.computeIfAbsent(second, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(subType == null ? type : type + SEP + subType, k -> new LongAdder()).add(count);
    }

    /** The current second: what {@link #since} reads up to (excluded). */
    long now() {
        return clock.getAsLong() / 1000;
    }

    /**
     * The counts of the complete seconds after {@code seen} and before {@code until}, as the Admin UI reads them:
     * {@code [{timestamp, type, subType, count}]}. Drops seconds too old to be read by anyone.
     */
    ArrayNode since(long seen, long until) {
        seconds.headMap(until - KEEP_SECONDS).clear();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Map.Entry<Long, ConcurrentHashMap<String, LongAdder>> e : seconds.subMap(seen + 1, until).entrySet()) {
            e.getValue().forEach((key, count) -> {
                int sep = key.indexOf(SEP);
                ObjectNode o = out.addObject().put("timestamp", e.getKey() * 1000)
                        .put("type", sep < 0 ? key : key.substring(0, sep));
                if (sep >= 0) o.put("subType", key.substring(sep + 1));
                o.put("count", count.sum());
            });
        }
        return out;
    }
}
