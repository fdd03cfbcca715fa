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
 * counts are reported to the core {@code Presence} by the dialect; the agents of the other nodes come from the
 * {@link AgentDirectory}, and lookups ({@link #find}, {@link #online}) answer for the whole cluster.
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
        /** Whether this is another node's view ({@link AgentDirectory}), and whether that node has it online. */
        boolean remote;
        volatile boolean remoteOnline;

        Agent(String agentId) {
            this.agentId = agentId;
            this.name = agentId;
        }

        boolean online() {
            return remote ? remoteOnline : !sockets.isEmpty();
        }

        /** Another node's announcement of an agent as a read-only view. */
        static Agent view(JsonNode j) {
            Agent a = new Agent(j.path("agentId").asText());
            a.remote = true;
            a.name = j.path("name").asText(a.agentId);
            a.role = Json.text(j, "role");
            a.capabilities = Json.strings(j.get("capabilities"));
            a.model = Json.text(j, "model");
            a.description = Json.text(j, "description");
            if (j.path("metadata").isObject()) a.metadata = j.get("metadata");
            a.status = j.path("status").asText("offline");
            a.lastSeen = j.path("lastSeenMs").asLong();
            a.owner = Json.text(j, "owner");
            a.channels.addAll(Json.strings(j.get("channels")));
            a.remoteOnline = j.path("online").asBoolean();
            return a;
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
    private volatile AgentDirectory directory;

    void directory(AgentDirectory d) {
        this.directory = d;
    }

    /** The local agent (made on first use). */
    Agent get(String agentId) {
        return agents.computeIfAbsent(agentId, Agent::new);
    }

    /** The agent as the cluster knows it: online here, else online on another node, else as last known. */
    Optional<Agent> find(String agentId) {
        Agent here = agents.get(agentId);
        if (here != null && here.online()) return Optional.of(here);
        AgentDirectory dir = directory;
        Agent there = dir == null ? null : dir.find(agentId);
        if (there != null && (there.online() || here == null || there.lastSeen > here.lastSeen)) return Optional.of(there);
        return Optional.ofNullable(here);
    }

    /** Tells the other nodes how a local agent is now (after a change of its profile, status or channels). */
    void changed(Agent a) {
        AgentDirectory dir = directory;
        if (dir != null && !a.remote) dir.announce(a);
    }

    Collection<Agent> all() {
        return List.copyOf(agents.values());
    }

    /** The agents of a channel that are online on any node, in id order. */
    List<Agent> online(String channelId) {
        List<Agent> out = new ArrayList<>();
        for (Agent a : agents.values()) if (a.online() && a.channels.contains(channelId)) out.add(a);
        AgentDirectory dir = directory;
        if (dir != null) {
            Set<String> here = new java.util.HashSet<>();
            out.forEach(a -> here.add(a.agentId));
            for (Agent a : dir.online(channelId)) if (here.add(a.agentId)) out.add(a);
        }
        out.sort(java.util.Comparator.comparing(a -> a.agentId));
        return out;
    }

    void attach(String agentId, String socketId, String owner, long now) {
        Agent a = get(agentId);
        if (!a.online()) a.owner = owner;
        a.sockets.add(socketId);
        if (a.status.equals("offline")) a.status = "online";
        a.lastSeen = now;
        changed(a);
    }

    /** The socket is gone; true if it was the agent's last one (now offline). */
    boolean detach(String agentId, String socketId, long now) {
        Agent a = agents.get(agentId);
        if (a == null || !a.sockets.remove(socketId)) return false;
        a.lastSeen = now;
        if (!a.sockets.isEmpty()) {
            changed(a);
            return false;
        }
        a.status = "offline";
        changed(a);
        return true;
    }

    long onlineCount() {
        return agents.values().stream().filter(Agent::online).count();
    }
}
