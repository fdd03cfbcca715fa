package io.agentwire.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Copies of Jackson trees that cost less to keep, for what the server holds for long (the history windows of
 * {@link MemoryBroker}). Jackson backs every object node with a {@code LinkedHashMap}: 64 bytes, a 16-slot table
 * and a 40-byte entry per property, so the tree of a small event is mostly map. {@link #compact} copies a tree so
 * that each object of up to {@value #SMALL} properties keeps them in two arrays in insertion order (a lookup is a
 * scan, as cheap as hashing at that size) and each array is sized to its elements; value nodes are immutable and
 * shared. The copy is an ordinary tree: equal to the original, serialized the same (same property order), and
 * still mutable through the usual {@link ObjectNode} methods.
 */
public final class CompactJson {
    /** Objects with more properties than this keep a hash map (a sized copy). */
    static final int SMALL = 16;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CompactJson() { }

    /** A copy of {@code node} with compact containers; {@code node} itself when it is already one or a value. */
    public static JsonNode compact(JsonNode node) {
        if (node instanceof CompactObject) return node;
        if (node instanceof ObjectNode o) return compactObject(o);
        if (node instanceof ArrayNode a) return compactArray(a);
        return node;
    }

    private static ObjectNode compactObject(ObjectNode o) {
        int n = o.size();
        if (n > SMALL) {
            Map<String, JsonNode> copy = LinkedHashMap.newLinkedHashMap(n);
            for (Map.Entry<String, JsonNode> e : o.properties()) copy.put(e.getKey(), compact(e.getValue()));
            return new ObjectNode(NODES, copy);
        }
        ArrayMap map = new ArrayMap(n);
        for (Map.Entry<String, JsonNode> e : o.properties()) map.append(e.getKey(), compact(e.getValue()));
        return new CompactObject(map);
    }

    private static ArrayNode compactArray(ArrayNode a) {
        List<JsonNode> items = new ArrayList<>(a.size());
        for (JsonNode item : a) items.add(compact(item));
        return new ArrayNode(NODES, items);
    }

    /** An object node over an {@link ArrayMap} (so {@link #compact} knows it needs no copy). */
    static final class CompactObject extends ObjectNode {
        private static final long serialVersionUID = 1L;

        CompactObject(ArrayMap children) {
            super(NODES, children);
        }
    }

    /**
     * A map in insertion order over a key array and a value array, for a few entries: every operation scans.
     * Null keys are refused (JSON property names are never null); values are never null in a Jackson tree.
     */
    static final class ArrayMap extends AbstractMap<String, JsonNode> {
        private String[] keys;
        private JsonNode[] values;
        private int size;
        private int modCount;

        ArrayMap(int capacity) {
            keys = new String[capacity];
            values = new JsonNode[capacity];
        }

        /** Adds an entry known not to be there (the copy of a map's entries). */
        void append(String key, JsonNode value) {
            if (size == keys.length) grow();
            keys[size] = key;
            values[size++] = value;
        }

        private void grow() {
            int capacity = Math.max(4, keys.length * 2);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }

        private int indexOf(Object key) {
            for (int i = 0; i < size; i++) {
                if (keys[i] == key) return i;
            }
            if (key == null) return -1;
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) return i;
            }
            return -1;
        }

        @Override public int size() { return size; }

        @Override public boolean containsKey(Object key) { return indexOf(key) >= 0; }

        @Override
        public JsonNode get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            Objects.requireNonNull(key, "key");
            int i = indexOf(key);
            if (i >= 0) {
                JsonNode old = values[i];
                values[i] = value;
                return old;
            }
            modCount++;
            append(key, value);
            return null;
        }

        @Override
        public JsonNode remove(Object key) {
            int i = indexOf(key);
            if (i < 0) return null;
            JsonNode old = values[i];
            removeAt(i);
            return old;
        }

        private void removeAt(int i) {
            modCount++;
            int tail = size - i - 1;
            System.arraycopy(keys, i + 1, keys, i, tail);
            System.arraycopy(values, i + 1, values, i, tail);
            size--;
            keys[size] = null;
            values[size] = null;
        }

        @Override
        public void clear() {
            modCount++;
            Arrays.fill(keys, 0, size, null);
            Arrays.fill(values, 0, size, null);
            size = 0;
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> entrySet() {
            return new AbstractSet<>() {
                @Override public int size() { return size; }

                @Override public void clear() { ArrayMap.this.clear(); }

                @Override public Iterator<Map.Entry<String, JsonNode>> iterator() { return new Entries(); }
            };
        }

        /** Entries in order; {@code remove} and {@code setValue} write through, as a LinkedHashMap's do. */
        private final class Entries implements Iterator<Map.Entry<String, JsonNode>> {
            private int next;
            private int last = -1;
            private int expected = modCount;

            @Override public boolean hasNext() { return next < size; }

            @Override
            public Map.Entry<String, JsonNode> next() {
                if (expected != modCount) throw new ConcurrentModificationException();
                if (next >= size) throw new NoSuchElementException();
                last = next++;
                return new Entry(last);
            }

            @Override
            public void remove() {
                if (last < 0) throw new IllegalStateException();
                if (expected != modCount) throw new ConcurrentModificationException();
                removeAt(last);
                next = last;
                last = -1;
                expected = modCount;
            }
        }

        private final class Entry implements Map.Entry<String, JsonNode> {
            private final String key;
            private final int index;

            Entry(int index) {
                this.key = keys[index];
                this.index = index;
            }

            @Override public String getKey() { return key; }

            @Override public JsonNode getValue() { return keys[index] == key ? values[index] : get(key); }

            @Override
            public JsonNode setValue(JsonNode value) {
                return keys[index] == key ? swap(index, value) : put(key, value);
            }

            private JsonNode swap(int i, JsonNode value) {
                JsonNode old = values[i];
                values[i] = value;
                return old;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
            }

            @Override public int hashCode() { return key.hashCode() ^ Objects.hashCode(getValue()); }

            @Override public String toString() { return key + "=" + getValue(); }
        }
    }
}
