package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.StreamPosition;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of disconnected sockets of one namespace, by private session id ({@code pid}), for connection state
 * recovery: id, rooms, data and the stream position its delivery started from. An entry lives
 * {@code maxDisconnectionDuration} and can be taken once.
 *
 * <p>By default in memory (one node). With shared {@link RecoveryRecords} (cluster mode) every node reads them, so a
 * client may recover on another node; and the state of a <em>connected</em> socket is written too ({@link #live}),
 * when it connects, joins or leaves a room, and every half {@code maxDisconnectionDuration}, so that a socket whose
 * node was killed (and wrote nothing at the disconnection) can still be recovered elsewhere.
 */
final class RecoveryStore {
    /**
     * A disconnected socket. {@code start} is where its delivery began (its registration in the room index, or the
     * position it recovered from): the replay starts there when the client has no offset (it received nothing stored).
     * {@code owner} is the principal id the socket belonged to: only that principal may recover it.
     */
    record Saved(String sid, String pid, String owner, Set<String> rooms, ObjectNode data, StreamPosition start,
                 long disconnectedAtMillis) { }

    private final Duration maxDisconnection;
    private final RecoveryRecords shared;
    private final String scope;
    private final ConcurrentHashMap<String, Saved> byPid = new ConcurrentHashMap<>();
    /** When the last sweep ran: a mass disconnection sweeps at most once a {@link #SWEEP_EVERY_MILLIS}, not per save. */
    private volatile long sweptAtMillis = Long.MIN_VALUE;
    static final long SWEEP_EVERY_MILLIS = 1_000;

    RecoveryStore(Duration maxDisconnection) {
        this(maxDisconnection, null, null);
    }

    /** @param shared records every node reads, or null to keep them in this process */
    RecoveryStore(Duration maxDisconnection, RecoveryRecords shared, String scope) {
        this.maxDisconnection = maxDisconnection;
        this.shared = shared;
        this.scope = scope;
    }

    /** Whether the records are shared with other nodes (and connected sockets are written too). */
    boolean isShared() {
        return shared != null;
    }

    void save(Saved s) {
        if (shared != null) {
            shared.put(scope, s.pid(), toJson(s), maxDisconnection);
            return;
        }
        sweep(s.disconnectedAtMillis());
        byPid.put(s.pid(), s);
    }

    /** The state of a connected socket, in case its node dies (shared records only). */
    void live(Saved s) {
        if (shared != null) shared.put(scope, s.pid(), toJson(s), maxDisconnection);
    }

    /** The saved state of {@code pid} if it is younger than the limit; removed either way. */
    CompletableFuture<Saved> take(String pid, long nowMillis) {
        if (shared != null) {
            return shared.take(scope, pid).handle((json, e) -> {
                Saved s = e == null && json != null ? fromJson(json) : null;
                return s == null || nowMillis - s.disconnectedAtMillis() > maxDisconnection.toMillis() ? null : s;
            });
        }
        Saved s = byPid.remove(pid);
        if (s == null || nowMillis - s.disconnectedAtMillis() > maxDisconnection.toMillis()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(s);
    }

    int size() {
        return byPid.size();
    }

    private void sweep(long nowMillis) {
        long last = sweptAtMillis;
        if (last != Long.MIN_VALUE && nowMillis - last < SWEEP_EVERY_MILLIS) return; // expired ones are refused by take
        sweptAtMillis = nowMillis;
        long limit = maxDisconnection.toMillis();
        byPid.values().removeIf(s -> nowMillis - s.disconnectedAtMillis() > limit);
    }

    static JsonNode toJson(Saved s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sid", s.sid()).put("pid", s.pid()).put("owner", s.owner()).put("at", s.disconnectedAtMillis());
        s.rooms().forEach(o.putArray("rooms")::add);
        o.set("data", s.data().deepCopy());
        o.put("offset", s.start().offset()).put("epoch", s.start().epoch());
        return o;
    }

    static Saved fromJson(JsonNode o) {
        try {
            Set<String> rooms = new HashSet<>();
            o.path("rooms").forEach(r -> rooms.add(r.asText()));
            ObjectNode data = o.get("data") instanceof ObjectNode d ? d : JsonNodeFactory.instance.objectNode();
            if (!o.path("owner").isTextual()) return null; // a record of no known principal is nobody's to recover
            return new Saved(o.get("sid").asText(), o.get("pid").asText(), o.get("owner").textValue(), rooms, data,
                    new StreamPosition(o.get("offset").asLong(), o.get("epoch").asText()), o.get("at").asLong());
        } catch (RuntimeException e) {
            return null;
        }
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
