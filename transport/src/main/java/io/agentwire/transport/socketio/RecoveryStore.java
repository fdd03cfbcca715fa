package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.StreamPosition;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of disconnected sockets of one namespace, by private session id ({@code pid}), for connection state
 * recovery: id, rooms, data and the stream position its delivery started from. An entry lives
 * {@code maxDisconnectionDuration} and can be taken once. (In memory: in cluster mode it belongs in the shared
 * store; see docs/socketio.md.)
 */
final class RecoveryStore {
    /**
     * A disconnected socket. {@code start} is where its delivery began (its registration in the room index, or the
     * position it recovered from): the replay starts there when the client has no offset (it received nothing stored).
     */
    record Saved(String sid, String pid, Set<String> rooms, ObjectNode data, StreamPosition start,
                 long disconnectedAtMillis) { }

    private final Duration maxDisconnection;
    private final ConcurrentHashMap<String, Saved> byPid = new ConcurrentHashMap<>();

    RecoveryStore(Duration maxDisconnection) {
        this.maxDisconnection = maxDisconnection;
    }

    void save(Saved s) {
        sweep(s.disconnectedAtMillis());
        byPid.put(s.pid(), s);
    }

    /** The saved state of {@code pid} if it is younger than the limit; removed either way. */
    Saved take(String pid, long nowMillis) {
        Saved s = byPid.remove(pid);
        if (s == null || nowMillis - s.disconnectedAtMillis() > maxDisconnection.toMillis()) return null;
        return s;
    }

    int size() {
        return byPid.size();
    }

    private void sweep(long nowMillis) {
        long limit = maxDisconnection.toMillis();
        byPid.values().removeIf(s -> nowMillis - s.disconnectedAtMillis() > limit);
    }

    /** The offset string a client gets with every event: {@code <epoch>:<offset>} of the namespace's stream. */
    static String offset(StreamPosition p) {
        return p.epoch() + ":" + p.offset();
    }

    /** The position an offset string names, or null if it is not one. */
    static StreamPosition parse(String offset) {
        if (offset == null) return null;
        int colon = offset.lastIndexOf(':');
        if (colon < 0 || colon == offset.length() - 1 || offset.length() - colon > 19) return null;
        for (int i = colon + 1; i < offset.length(); i++) {
            if (offset.charAt(i) < '0' || offset.charAt(i) > '9') return null;
        }
        return new StreamPosition(Long.parseLong(offset.substring(colon + 1)), offset.substring(0, colon));
    }
}
