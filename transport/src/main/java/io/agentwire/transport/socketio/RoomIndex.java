package io.agentwire.transport.socketio;

import io.agentwire.core.StreamPosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local sockets of one namespace by room, as socket.io's in-memory adapter keeps them (room → sockets, socket →
 * rooms), and the position of the namespace's stream that the shared dispatch has reached. One lock guards both: a
 * socket registered at position P is a recipient of exactly the publications after P (the hand-over point of a
 * recovery), and a join or leave takes effect between two publications. The lock is held for lookups only, never
 * while delivering. A publication's recipients cost one lookup per target room plus the recipients themselves, not
 * a check per socket of the namespace.
 */
final class RoomIndex {

    /** One registration of a socket: its rooms and where its delivery starts. A recovery that fails re-registers. */
    static final class Member {
        final Socket socket;
        final LoopInbox inbox;
        final StreamPosition start;
        private String[] rooms = NO_ROOMS; // guarded by the index's lock, replaced on change: its own room + a few
        private boolean removed;           // guarded by the index's lock
        private Member previous;           // the index's members in registration order (guarded by its lock)
        private Member next;

        private Member(Socket socket, LoopInbox inbox, StreamPosition start) {
            this.socket = socket;
            this.inbox = inbox;
            this.start = start;
        }
    }

    private static final String[] NO_ROOMS = {};

    private final Object lock = new Object();
    /** Room → its one member (most rooms are a socket's own), or an {@link IdentitySet} of two or more. */
    private final Map<String, Object> rooms = new HashMap<>();
    /*
     * Every member in registration order (a broadcast to the whole namespace goes out in it): a list through the
     * members' own fields, where a LinkedHashSet took a 40-byte entry and a table slot per socket.
     */
    private Member first;
    private Member last;
    private int size;
    private StreamPosition position;
    private int generation;

    /**
     * Registers {@code socket} in {@code initialRooms}; it receives every publication dispatched after the current
     * position ({@link Member#start}). Null when the feed is not live (no position yet).
     */
    Member register(Socket socket, LoopInbox inbox, Collection<String> initialRooms) {
        synchronized (lock) {
            if (position == null) return null;
            Member m = new Member(socket, inbox, position);
            link(m);
            addLocked(m, initialRooms);
            return m;
        }
    }

    /** Adds {@code m} to rooms; false if it was removed meanwhile. */
    boolean join(Member m, Collection<String> names) {
        synchronized (lock) {
            if (m.removed) return false;
            addLocked(m, names);
            return true;
        }
    }

    void leave(Member m, String room) {
        synchronized (lock) {
            if (m.removed || !removeName(m, room)) return;
            removeFromRoomLocked(m, room);
        }
    }

    Set<String> rooms(Member m) {
        synchronized (lock) {
            return Set.of(m.rooms);
        }
    }

    /** Unregisters {@code m} (idempotent) and returns the rooms it was in. */
    Set<String> remove(Member m) {
        synchronized (lock) {
            if (!m.removed) {
                m.removed = true;
                unlink(m);
                for (String room : m.rooms) removeFromRoomLocked(m, room);
            }
            return Set.of(m.rooms);
        }
    }

    /** Forgets every member and the position (the feed starts again); returns a token for the new feed. */
    int reset(List<Member> dropped) {
        synchronized (lock) {
            for (Member m = first; m != null; m = m.next) {
                m.removed = true;
                dropped.add(m);
            }
            for (Member m = first, n; m != null; m = n) { // no member keeps the others reachable
                n = m.next;
                m.previous = null;
                m.next = null;
            }
            first = null;
            last = null;
            size = 0;
            rooms.clear();
            position = null;
            return ++generation;
        }
    }

    /** The feed of {@code token} went live after {@code top}: sockets may register from here. */
    void liveAt(int token, StreamPosition top) {
        synchronized (lock) {
            if (token == generation && position == null) position = top;
        }
    }

    /** Moves the position to {@code at} and returns the publication's recipients (none for a stale feed token). */
    List<Member> dispatch(int token, StreamPosition at, Namespace.Target target) {
        synchronized (lock) {
            if (token != generation) return List.of();
            position = at;
            return recipientsLocked(target);
        }
    }

    int size() {
        synchronized (lock) {
            return size;
        }
    }

    private List<Member> recipientsLocked(Namespace.Target t) {
        Set<Member> excluded = t.except().isEmpty() ? Set.of() : membersOf(t.except());
        if (t.rooms().isEmpty()) {
            List<Member> out = new ArrayList<>(size);
            for (Member m = first; m != null; m = m.next) if (!excluded.contains(m)) out.add(m);
            return out;
        }
        if (t.rooms().size() == 1) {
            return without(membersIn(t.rooms().iterator().next()), excluded);
        }
        return without(membersOf(t.rooms()), excluded);
    }

    private Set<Member> membersOf(Set<String> names) {
        Set<Member> out = new LinkedHashSet<>();
        for (String room : names) {
            out.addAll(membersIn(room));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Collection<Member> membersIn(String room) {
        Object in = rooms.get(room);
        if (in == null) return List.of();
        return in instanceof Member one ? List.of(one) : (Set<Member>) in;
    }

    private static List<Member> without(Collection<Member> from, Set<Member> excluded) {
        List<Member> out = new ArrayList<>(from.size());
        for (Member m : from) if (!excluded.contains(m)) out.add(m);
        return out;
    }

    private void link(Member m) {
        m.previous = last;
        if (last == null) first = m; else last.next = m;
        last = m;
        size++;
    }

    private void unlink(Member m) {
        if (m.previous == null) first = m.next; else m.previous.next = m.next;
        if (m.next == null) last = m.previous; else m.next.previous = m.previous;
        m.previous = null;
        m.next = null;
        size--;
    }

    private void addLocked(Member m, Collection<String> names) {
        for (String room : names) {
            if (addName(m, room)) addToRoomLocked(m, room);
        }
    }

    @SuppressWarnings("unchecked")
    private void addToRoomLocked(Member m, String room) {
        Object in = rooms.get(room);
        if (in == null) {
            rooms.put(room, m);
        } else if (in instanceof Member one) {
            Set<Member> two = new IdentitySet<>();
            two.add(one);
            two.add(m);
            rooms.put(room, two);
        } else {
            ((Set<Member>) in).add(m);
        }
    }

    private void removeFromRoomLocked(Member m, String room) {
        Object in = rooms.get(room);
        if (in == m) {
            rooms.remove(room);
        } else if (in instanceof Set<?> set && set.remove(m)) {
            if (set.isEmpty()) rooms.remove(room);
            else if (set.size() == 1) rooms.put(room, set.iterator().next());
        }
    }

    private static boolean addName(Member m, String room) {
        for (String r : m.rooms) if (r.equals(room)) return false;
        String[] more = Arrays.copyOf(m.rooms, m.rooms.length + 1);
        more[m.rooms.length] = room;
        m.rooms = more;
        return true;
    }

    private static boolean removeName(Member m, String room) {
        for (int i = 0; i < m.rooms.length; i++) {
            if (m.rooms[i].equals(room)) {
                String[] fewer = new String[m.rooms.length - 1];
                System.arraycopy(m.rooms, 0, fewer, 0, i);
                System.arraycopy(m.rooms, i + 1, fewer, i, fewer.length - i);
                m.rooms = fewer;
                return true;
            }
        }
        return false;
    }
}
