package io.agentwire.dialect.spi;

import io.agentwire.transport.socketio.Namespace;
import io.agentwire.transport.socketio.Socket;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The console view of a Socket.IO dialect (docs/console.md): its namespace's sockets as connections (with their
 * rooms, each socket's own id room left out) and its rooms with member counts. Shared by every Socket.IO dialect,
 * as {@link SocketIoSettings} is; a dialect adds its own parts (e.g. agents) by overriding on top of it.
 */
public class SocketIoConsole implements ConsoleView {
    private final Namespace namespace;

    protected SocketIoConsole(Namespace namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** The view of {@code namespace}'s sockets and rooms. */
    public static ConsoleView of(Namespace namespace) {
        return new SocketIoConsole(namespace);
    }

    @Override
    public Page<ConnectionRow> connections(Query query) {
        return Page.of(namespace.sockets().stream().map(SocketIoConsole::row),
                r -> query.matches(r.id(), r.principal(), r.remoteAddress(), r.transport(), String.join(" ", r.rooms())),
                query);
    }

    @Override
    public Map<String, Integer> transports() {
        Map<String, Integer> counts = new TreeMap<>();
        namespace.sockets().forEach(s -> counts.merge(transport(s), 1, Integer::sum));
        return counts;
    }

    @Override
    public boolean disconnect(String id) {
        Socket s = namespace.socket(id);
        if (s == null) return false;
        s.disconnect(true);
        return true;
    }

    @Override
    public Page<RoomRow> rooms(Query query) {
        RoomTally tally = new RoomTally(query);
        for (Socket s : namespace.sockets()) {
            for (String room : s.rooms()) if (!room.equals(s.id())) tally.add(room, s.id());
        }
        return tally.page();
    }

    private static String transport(Socket s) {
        try {
            return "socket.io/" + s.transport();
        } catch (RuntimeException e) { // its Engine.IO session just went away
            return "socket.io/closed";
        }
    }

    private static ConnectionRow row(Socket s) {
        List<String> rooms = s.rooms().stream().filter(r -> !r.equals(s.id())).sorted().toList();
        return new ConnectionRow(s.id(), s.handshake().principal().id(), transport(s),
                s.handshake().request().remoteAddress(), rooms, rooms.size(), -1, 0);
    }
}
