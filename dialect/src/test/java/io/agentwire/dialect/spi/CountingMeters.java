package io.agentwire.dialect.spi;

import io.agentwire.core.Meters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link Meters} that keep every count in memory, by name and tags ({@code agentwire.errors{dialect=x,code=y}}). */
public final class CountingMeters implements Meters {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String description, String... tags) {
        AtomicLong c = counts.computeIfAbsent(key(name, tags), k -> new AtomicLong());
        return c::addAndGet;
    }

    @Override
    public Timer timer(String name, String description, String... tags) {
        AtomicLong c = counts.computeIfAbsent(key(name + ".count", tags), k -> new AtomicLong());
        return nanos -> c.incrementAndGet();
    }

    /** The count of {@code name} with exactly {@code tags} (a timer's: {@code name.count}); 0 if never counted. */
    public long count(String name, String... tags) {
        AtomicLong c = counts.get(key(name, tags));
        return c == null ? 0 : c.get();
    }

    private static String key(String name, String... tags) {
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i + 1 < tags.length; i += 2) b.append(tags[i]).append('=').append(tags[i + 1]).append(',');
        return b.append('}').toString();
    }
}
