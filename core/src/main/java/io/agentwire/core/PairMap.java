package io.agentwire.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map of names to value lists (headers, query parameters) kept as one array of name/value pairs, a
 * name's values next to each other in order. A {@link Authenticator.Request} lives as long as its connection, and
 * this holds a handshake's handful of headers in one array instead of a hash table, an entry and a list per name;
 * the lists and entries are made when they are read.
 */
final class PairMap extends AbstractMap<String, List<String>> {
    private static final PairMap EMPTY = new PairMap(new String[0]);

    /** name, value, name, value …; a name with an empty list has one pair whose value is null. */
    private final String[] pairs;

    private PairMap(String[] pairs) {
        this.pairs = pairs;
    }

    /** {@code map} as a PairMap (itself if it is one); null names, lists or values throw, as {@link Map#copyOf}. */
    static Map<String, List<String>> copyOf(Map<String, List<String>> map) {
        if (map instanceof PairMap p) return p;
        if (map.isEmpty()) return EMPTY;
        int n = 0;
        for (List<String> values : map.values()) n += Math.max(1, values.size());
        String[] pairs = new String[2 * n];
        int i = 0;
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
        return new PairMap(pairs);
    }

    @Override
    public List<String> get(Object name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) return valuesFrom(i);
        }
        return null;
    }

    @Override
    public boolean containsKey(Object name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) return true;
        }
        return false;
    }

    @Override
    public int size() {
        int n = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (i == 0 || !pairs[i].equals(pairs[i - 2])) n++;
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        return pairs.length == 0;
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!m.containsKey(pairs[i])) m.put(pairs[i], valuesFrom(i));
        }
        return Collections.unmodifiableMap(m).entrySet();
    }

    /** The values of the name at {@code i} (its first pair). */
    private List<String> valuesFrom(int i) {
        if (pairs[i + 1] == null) return List.of();
        int end = i + 2;
        while (end < pairs.length && pairs[end].equals(pairs[i])) end += 2;
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
