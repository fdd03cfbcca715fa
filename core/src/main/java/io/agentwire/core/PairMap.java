package io.agentwire.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map of names to value lists (headers, query parameters) kept as name/value pairs in a range of an
 * array, a name's values next to each other in order. A {@link Authenticator.Request} lives as long as its
 * connection and keeps its headers and query in one such array ({@link #pairs}), made into maps when they are read:
 * no hash table, entry or list per name, and no map object while nobody reads them.
 */
final class PairMap extends AbstractMap<String, List<String>> {
    /** name, value, name, value …; a name with an empty list has one pair whose value is null. */
    private final String[] pairs;
    private final int from;
    private final int to;

    PairMap(String[] pairs, int from, int to) {
        this.pairs = pairs;
        this.from = from;
        this.to = to;
    }

    /** The number of array slots {@code map}'s pairs take. */
    static int slots(Map<String, List<String>> map) {
        if (map instanceof PairMap p) return p.to - p.from;
        int n = 0;
        for (List<String> values : map.values()) n += Math.max(1, values.size());
        return 2 * n;
    }

    /**
     * Writes {@code map}'s pairs into {@code pairs} from {@code at}; returns where they end. Null names, lists or
     * values throw, as {@link Map#copyOf}.
     */
    static int write(Map<String, List<String>> map, String[] pairs, int at) {
        if (map instanceof PairMap p) {
            System.arraycopy(p.pairs, p.from, pairs, at, p.to - p.from);
            return at + p.to - p.from;
        }
        int i = at;
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "name");
            List<String> values = e.getValue();
            if (values.isEmpty()) {
                pairs[i++] = name;
                pairs[i++] = null;
            }
            for (String v : values) {
                pairs[i++] = name;
                pairs[i++] = Objects.requireNonNull(v, "value");
            }
        }
        return i;
    }

    /** The first value of {@code name} in {@code pairs[from, to)}, or null (none, or an empty list). */
    static String first(String[] pairs, int from, int to, String name) {
        for (int i = from; i < to; i += 2) {
            if (pairs[i].equals(name)) return pairs[i + 1];
        }
        return null;
    }

    @Override
    public List<String> get(Object name) {
        for (int i = from; i < to; i += 2) {
            if (pairs[i].equals(name)) return valuesFrom(i);
        }
        return null;
    }

    @Override
    public boolean containsKey(Object name) {
        for (int i = from; i < to; i += 2) {
            if (pairs[i].equals(name)) return true;
        }
        return false;
    }

    @Override
    public int size() {
        int n = 0;
        for (int i = from; i < to; i += 2) {
            if (i == from || !pairs[i].equals(pairs[i - 2])) n++;
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        return to == from;
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = from; i < to; i += 2) {
            if (!m.containsKey(pairs[i])) m.put(pairs[i], valuesFrom(i));
        }
        return Collections.unmodifiableMap(m).entrySet();
    }

    /** The values of the name at {@code i} (its first pair). */
    private List<String> valuesFrom(int i) {
        if (pairs[i + 1] == null) return List.of();
        int end = i + 2;
        while (end < to && pairs[end].equals(pairs[i])) end += 2;
        if (end == i + 2) return List.of(pairs[i + 1]);
        String[] values = new String[(end - i) / 2];
        for (int j = 0; j < values.length; j++) values[j] = pairs[i + 2 * j + 1];
        return List.of(values);
    }

    @Override
    public int hashCode() {
        return entrySet().hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Map<?, ?> m && entrySet().equals(m.entrySet());
    }

    @Override
    public String toString() {
        return new LinkedHashMap<>(this).toString();
    }
}
