package io.agentwire.transport.socketio;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A set of objects compared by identity, in one open-addressing table (linear probing, at most 3/4 full, halved when
 * under 1/8 full): 5–11 bytes per element where a {@code HashSet} takes a 32-byte node and a table slot (37–43). A
 * room of the namespace's {@link RoomIndex} is one (the room every socket of an app joins holds all of them). Not
 * thread-safe: its owner's lock guards it. Iteration order is the table's; an iterator does not remove.
 */
final class IdentitySet<E> extends AbstractSet<E> {
    private static final int MIN_CAPACITY = 4;

    private Object[] table;
    private int size;

    IdentitySet() {
        table = new Object[MIN_CAPACITY];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(Object o) {
        return o != null && slotOf(o) >= 0;
    }

    @Override
    public boolean add(E e) {
        if (e == null) throw new NullPointerException("element");
        if (slotOf(e) >= 0) return false;
        if ((size + 1) * 4 > table.length * 3) resize(table.length * 2);
        place(table, e);
        size++;
        return true;
    }

    @Override
    public boolean remove(Object o) {
        if (o == null) return false;
        int i = slotOf(o);
        if (i < 0) return false;
        deleteAt(i);
        size--;
        if (size * 8 < table.length && table.length > MIN_CAPACITY) resize(table.length / 2);
        return true;
    }

    @Override
    public void clear() {
        table = new Object[MIN_CAPACITY];
        size = 0;
    }

    @Override
    public Iterator<E> iterator() {
        Object[] t = table;
        return new Iterator<>() {
            private int next = advance(0);

            private int advance(int from) {
                while (from < t.length && t[from] == null) from++;
                return from;
            }

            @Override
            public boolean hasNext() {
                return next < t.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public E next() {
                if (next >= t.length) throw new NoSuchElementException();
                E e = (E) t[next];
                next = advance(next + 1);
                return e;
            }
        };
    }

    /** The slot holding {@code o}, or -1. */
    private int slotOf(Object o) {
        int mask = table.length - 1;
        for (int i = home(o, mask); table[i] != null; i = (i + 1) & mask) {
            if (table[i] == o) return i;
        }
        return -1;
    }

    /** Empties slot {@code i} and moves back the entries after it whose probe passed it (no tombstones). */
    private void deleteAt(int i) {
        int mask = table.length - 1;
        table[i] = null;
        for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int home = home(table[j], mask);
            // the entry at j may move to the hole at i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                table[i] = table[j];
                table[j] = null;
                i = j;
            }
        }
    }

    private void resize(int capacity) {
        Object[] old = table;
        table = new Object[Math.max(MIN_CAPACITY, capacity)];
        for (Object e : old) if (e != null) place(table, e);
    }

    /** Puts {@code e} (not in {@code t}) in the first free slot from its home. */
    private static void place(Object[] t, Object e) {
        int mask = t.length - 1;
        int i = home(e, mask);
        while (t[i] != null) i = (i + 1) & mask;
        t[i] = e;
    }

    private static int home(Object o, int mask) {
        int h = System.identityHashCode(o) * 0x9E3779B9; // spread: identity hashes need not use the low bits well
        return (h ^ (h >>> 16)) & mask;
    }
}
