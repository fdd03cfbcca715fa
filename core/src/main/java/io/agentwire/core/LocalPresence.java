package io.agentwire.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Presence} of one node, in memory. Each scope is guarded by its own lock; updates are O(1). */
public final class LocalPresence implements Presence {
    private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

    @Override
    public void connected(String scope, String connectionId) {
        Scope s = scope(scope);
        synchronized (s) {
            s.rooms.putIfAbsent(connectionId, new HashSet<>());
        }
    }

    @Override
    public void disconnected(String scope, String connectionId) {
        Scope s = scope(scope);
        synchronized (s) {
            Set<String> rooms = s.rooms.remove(connectionId);
            if (rooms != null) rooms.forEach(s::decrement);
        }
    }

    @Override
    public void joined(String scope, String connectionId, String room) {
        Scope s = scope(scope);
        synchronized (s) {
            Set<String> rooms = s.rooms.get(connectionId);
            if (rooms != null && rooms.add(room)) s.members.merge(room, 1L, Long::sum);
        }
    }

    @Override
    public void left(String scope, String connectionId, String room) {
        Scope s = scope(scope);
        synchronized (s) {
            Set<String> rooms = s.rooms.get(connectionId);
            if (rooms != null && rooms.remove(room)) s.decrement(room);
        }
    }

    @Override
    public CompletableFuture<Snapshot> snapshot(String scope) {
        Scope s = scope(scope);
        synchronized (s) {
            return CompletableFuture.completedFuture(new Snapshot(s.rooms.size(), s.members));
        }
    }

    private Scope scope(String name) {
        return scopes.computeIfAbsent(name, n -> new Scope());
    }

    private static final class Scope {
        final Map<String, Set<String>> rooms = new HashMap<>();
        final Map<String, Long> members = new HashMap<>();

        void decrement(String room) {
            members.computeIfPresent(room, (r, n) -> n == 1 ? null : n - 1);
        }
    }
}
