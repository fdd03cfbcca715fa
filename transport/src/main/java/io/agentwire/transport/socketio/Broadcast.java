package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentwire.core.Publication;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A broadcast being aimed, as socket.io's {@code io.to(room).except(id).emit(…)}: immutable, each call returns a
 * new one. {@link #emit} publishes one entry to the namespace's core stream; every socket of the namespace (on every
 * node sharing the broker) that is in one of the rooms (any socket when no room was named) and in none of the
 * excepted rooms receives it. Unless {@link #asVolatile()}, the entry stays in the stream's history, carries an
 * offset, and is replayed to a recovering socket that missed it.
 */
public final class Broadcast {
    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean isVolatile;

    Broadcast(Namespace namespace, Set<String> rooms, Set<String> except, boolean isVolatile) {
        this.namespace = namespace;
        this.rooms = Set.copyOf(rooms);
        this.except = Set.copyOf(except);
        this.isVolatile = isVolatile;
    }

    /** Also to the sockets in {@code more} rooms (a socket in several of them receives the event once). */
    public Broadcast to(String... more) {
        Set<String> r = new LinkedHashSet<>(rooms);
        r.addAll(List.of(more));
        return new Broadcast(namespace, r, except, isVolatile);
    }

    /** Not to the sockets in {@code rooms} (a socket id is a room holding that socket). */
    public Broadcast except(String... excluded) {
        Set<String> x = new LinkedHashSet<>(except);
        x.addAll(List.of(excluded));
        return new Broadcast(namespace, rooms, x, isVolatile);
    }

    /** Dropped for sockets that can not take it right now; neither stored for recovery nor given an offset. */
    public Broadcast asVolatile() {
        return new Broadcast(namespace, rooms, except, true);
    }

    /**
     * Publishes {@code event} with {@code args} (JSON-able values; {@code byte[]} and Jackson {@code BinaryNode}s as
     * binary, at any depth). Any thread; the future completes once the core stream took it.
     */
    public CompletableFuture<Publication> emit(String event, Object... args) {
        if (event == null || SocketIoNames.RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
        ArrayNode data = Args.array(event, args);
        return namespace.publish(rooms, except, isVolatile, data);
    }
}
