package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents this node knows: profile (name, role, capabilities, model, metadata), status (online, busy, away,
 * offline), last seen, channels and live sockets. An agent is online while it has a socket; its last socket gone, it
 * is offline (the dialect then reassigns its tasks). Cluster-wide connection and room
 * counts are reported to the core {@code Presence} by the dialect.
 */
final class Agents {
    static final class Agent {
        final String agentId;
        volatile String name;
        volatile String role;
        volatile List<String> capabilities = List.of();
        volatile String model;
        volatile String description;
        volatile JsonNode metadata = Json.obj();
        volatile String status = "offline";
        volatile long lastSeen;
        volatile String owner; // who brought it online: "key:<keyId>" or "user:<userId>"
        final Set<String> channels = ConcurrentHashMap.newKeySet();
        final Set<String> sockets = ConcurrentHashMap.newKeySet();

        Agent(String agentId) {
            this.agentId = agentId;
            this.name = agentId;
        }

        boolean online() {
            return !sockets.isEmpty();
        }

        ObjectNode toJson() {
            ObjectNode o = Json.obj().put("agentId", agentId).put("name", name);
            if (role != null) o.put("role", role);
            o.set("capabilities", Json.arr(capabilities));
            if (model != null) o.put("model", model);
            if (description != null) o.put("description", description);
            o.set("metadata", metadata);
            o.put("status", status).put("online", online()).put("lastSeen", java.time.Instant.ofEpochMilli(lastSeen).toString());
            o.set("channels", Json.arr(channels));
            return o;
        }
    }

    private final Map<String, Agent> agents = new ConcurrentHashMap<>();

    Agent get(String agentId) {
        return agents.computeIfAbsent(agentId, Agent::new);
    }

    Optional<Agent> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    Collection<Agent> all() {
        return List.copyOf(agents.values());
    }

    /** The agents of a channel that are online, in id order. */
    List<Agent> online(String channelId) {
        List<Agent> out = new ArrayList<>();
        for (Agent a : agents.values()) if (a.online() && a.channels.contains(channelId)) out.add(a);
        out.sort(java.util.Comparator.comparing(a -> a.agentId));
        return out;
    }

    void attach(String agentId, String socketId, String owner, long now) {
        Agent a = get(agentId);
        if (!a.online()) a.owner = owner;
        a.sockets.add(socketId);
        if (a.status.equals("offline")) a.status = "online";
        a.lastSeen = now;
    }

    /** The socket is gone; true if it was the agent's last one (now offline). */
    boolean detach(String agentId, String socketId, long now) {
        Agent a = agents.get(agentId);
        if (a == null || !a.sockets.remove(socketId)) return false;
        a.lastSeen = now;
        if (!a.sockets.isEmpty()) return false;
        a.status = "offline";
        return true;
    }

    long onlineCount() {
        return agents.values().stream().filter(Agent::online).count();
    }
}
