package io.agentwire.core;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The members of one key of a concurrent index (a stream's subscriptions, a session's connections), for indexes
 * where most keys have one or two members: up to {@value #SMALL} are an immutable array, replaced on every change
 * (48 bytes for one member, where a {@code ConcurrentHashMap.newKeySet()} takes about 200); more are a concurrent
 * set. Change it only with {@link #with}/{@link #without} inside the index map's {@code compute} for its key,
 * and keep what they return; read it from any thread without locking: a small one is a snapshot, a large one is
 * weakly consistent, as the concurrent set's iterator is. Members are compared with {@code equals}.
 */
public final class Members<T> implements Iterable<T> {
    static final int SMALL = 8;

    private final Object[] small; // exactly the members, when there are at most SMALL
    private final Set<T> large;

    private Members(Object[] small, Set<T> large) {
        this.small = small;
        this.large = large;
    }

    /** {@code members} (null: none) with {@code member} added. */
    public static <T> Members<T> with(Members<T> members, T member) {
        if (members == null) return new Members<>(new Object[] {member}, null);
        if (members.large != null) {
            members.large.add(member);
            return members;
        }
        Object[] a = members.small;
        for (Object o : a) {
            if (o.equals(member)) return members;
        }
        if (a.length < SMALL) {
            Object[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = member;
            return new Members<>(b, null);
        }
        Set<T> set = ConcurrentHashMap.newKeySet(SMALL * 2);
        for (Object o : a) set.add(cast(o));
        set.add(member);
        return new Members<>(null, set);
    }

    /** {@code members} without {@code member}; null when none is left. */
    public static <T> Members<T> without(Members<T> members, T member) {
        if (members == null) return null;
        if (members.large != null) {
            members.large.remove(member);
            return members.large.isEmpty() ? null : members;
        }
        Object[] a = members.small;
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(member)) continue;
            if (a.length == 1) return null;
            Object[] b = new Object[a.length - 1];
            System.arraycopy(a, 0, b, 0, i);
            System.arraycopy(a, i + 1, b, i, a.length - i - 1);
            return new Members<>(b, null);
        }
        return members;
    }

    public int size() {
        return large != null ? large.size() : small.length;
    }

    public boolean contains(T member) {
        if (large != null) return large.contains(member);
        for (Object o : small) {
            if (o.equals(member)) return true;
        }
        return false;
    }

    /** The members now, as an array (for acting on each while the index may change). */
    public Object[] toArray() {
        return large != null ? large.toArray() : small.clone();
    }

    @Override
    public void forEach(Consumer<? super T> action) {
        if (large != null) {
            large.forEach(action);
            return;
        }
        for (Object o : small) action.accept(cast(o));
    }

    @Override
    public Iterator<T> iterator() {
        if (large != null) return large.iterator();
        return new Iterator<>() {
            private int next;

            @Override public boolean hasNext() { return next < small.length; }

            @Override
            public T next() {
                if (next >= small.length) throw new NoSuchElementException();
                return cast(small[next++]);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    @Override
    public String toString() {
        return "Members" + (large != null ? large : Arrays.toString(small));
    }
}
