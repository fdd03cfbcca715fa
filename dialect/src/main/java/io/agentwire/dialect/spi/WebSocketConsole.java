package io.agentwire.dialect.spi;

import io.agentwire.core.DisconnectReason;
import io.agentwire.transport.WsConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The console view of a plain WebSocket dialect (docs/console.md): its live connection map as rows (principal,
 * remote address, send queue, the rooms the dialect names for each) and the operator's disconnect, which closes with
 * 1001 as a server shutdown would (the client may reconnect and resume). Reads the dialect's own map: nothing is kept
 * per connection for the console.
 *
 * @param <C> the dialect's connection type
 */
public final class WebSocketConsole<C> implements ConsoleView {
    private final Map<String, C> connections;
    private final Function<C, WsConnection> ws;
    private final Function<C, List<String>> rooms;
    private final ToLongFunction<C> openedAtMillis;

    private WebSocketConsole(Map<String, C> connections, Function<C, WsConnection> ws, Function<C, List<String>> rooms,
                             ToLongFunction<C> openedAtMillis) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.ws = Objects.requireNonNull(ws, "ws");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.openedAtMillis = Objects.requireNonNull(openedAtMillis, "openedAtMillis");
    }

    /**
     * @param connections the dialect's live connections by {@link WsConnection#id()} (a concurrent map)
     * @param ws each one's WebSocket
     * @param rooms the rooms (sessions, client ids …) each one is in
     * @param openedAtMillis when each one opened (epoch millis), 0 if the dialect does not keep it
     */
    public static <C> ConsoleView of(Map<String, C> connections, Function<C, WsConnection> ws,
                                     Function<C, List<String>> rooms, ToLongFunction<C> openedAtMillis) {
        return new WebSocketConsole<>(connections, ws, rooms, openedAtMillis);
    }

    @Override
    public Page<ConnectionRow> connections(Query query) {
        return Page.of(connections.values().stream().map(this::row),
                r -> query.matches(r.id(), r.principal(), r.remoteAddress(), String.join(" ", r.rooms())), query);
    }

    @Override
    public Map<String, Integer> transports() {
        return connections.isEmpty() ? Map.of() : Map.of("websocket", connections.size());
    }

    @Override
    public Page<RoomRow> rooms(Query query) {
        RoomTally tally = new RoomTally(query);
        connections.values().forEach(c -> rooms.apply(c).forEach(room -> tally.add(room, ws.apply(c).id())));
        return tally.page();
    }

    @Override
    public boolean disconnect(String id) {
        C c = connections.get(id);
        if (c == null) return false;
        ws.apply(c).close(DisconnectReason.SHUTDOWN);
        return true;
    }

    private ConnectionRow row(C c) {
        WsConnection w = ws.apply(c);
        List<String> in = rooms.apply(c);
        return new ConnectionRow(w.id(), w.principal().id(), "websocket", w.request().remoteAddress(), in, in.size(),
                w.queuedMessages(), openedAtMillis.applyAsLong(c));
    }
}
