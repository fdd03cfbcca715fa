package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.dialect.spi.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents of the other nodes of a cluster: every node announces its own agents (profile, status, last seen,
 * channels, online) on the live cluster stream {@value #STREAM} when they change and every {@link #ANNOUNCE_MS} ms,
 * and folds the other nodes' announcements into views. A node that starts asks the others to announce theirs; a view
 * not refreshed within {@link #STALE_MS} ms (its node is gone) counts as offline. On a single node the stream only
 * carries this node's own announcements, which it ignores.
 */
final class AgentDirectory implements AutoCloseable {
    static final String STREAM = "mesh:agents";
    static final long ANNOUNCE_MS = 2_000;
    static final long STALE_MS = 3 * ANNOUNCE_MS + 1_000;

    private record View(String node, Agents.Agent agent, long heardAt) { }

    private final String nodeId = UUID.randomUUID().toString();
    private final Agents local;
    private final java.util.function.LongSupplier clock;
    private final Map<String, View> views = new ConcurrentHashMap<>(); // agentId → the latest view from another node
    private final StreamState feed;
    private volatile long lastAnnounce;

    AgentDirectory(io.agentwire.core.Node node, Agents local, java.util.function.LongSupplier clock) {
        this.local = local;
        this.clock = clock;
        this.feed = new StreamState(node, STREAM, "mesh agents", change -> {
            if (nodeId.equals(change.path("node").asText())) return null;
            return () -> heard(change);
        });
    }

    CompletableFuture<Void> start() {
        return feed.start().thenRun(() -> feed.append(Json.obj().put("op", "sync").put("node", nodeId)));
    }

    /** Tells the other nodes how a local agent is now. */
    void announce(Agents.Agent a) {
        ObjectNode view = a.toJson();
        view.put("lastSeenMs", a.lastSeen);
        if (a.owner != null) view.put("owner", a.owner);
        feed.append(Json.obj().put("op", "agent").put("node", nodeId).set("agent", view))
                .exceptionally(e -> null); // the periodic announcement repeats it
    }

    /** Every {@link #ANNOUNCE_MS}: the local online agents again (so late or lost announcements heal). */
    void tick(long now) {
        if (now - lastAnnounce < ANNOUNCE_MS) return;
        lastAnnounce = now;
        for (Agents.Agent a : local.all()) if (a.online()) announce(a);
    }

    private void heard(JsonNode change) {
        switch (change.path("op").asText()) {
            case "sync" -> {
                for (Agents.Agent a : local.all()) announce(a);
            }
            case "agent" -> {
                Agents.Agent a = Agents.Agent.view(change.path("agent"));
                views.merge(a.agentId, new View(change.path("node").asText(), a, clock.getAsLong()), (old, now) ->
                        // an agent online on two nodes: an offline announcement of one does not hide the other
                        !now.agent().online() && old.agent().online() && !old.node().equals(now.node())
                                && fresh(old) ? old : now);
            }
            default -> { } // a later version's change
        }
    }

    private boolean fresh(View v) {
        return clock.getAsLong() - v.heardAt() <= STALE_MS;
    }

    /** Another node's view of the agent (offline once its node went quiet), or null. */
    Agents.Agent find(String agentId) {
        View v = views.get(agentId);
        if (v == null) return null;
        if (v.agent().online() && !fresh(v)) v.agent().remoteOnline = false;
        return v.agent();
    }

    /** The agents online on other nodes in a channel. */
    List<Agents.Agent> online(String channelId) {
        List<Agents.Agent> out = new ArrayList<>();
        for (View v : views.values()) {
            Agents.Agent a = find(v.agent().agentId);
            if (a != null && a.online() && a.channels.contains(channelId)) out.add(a);
        }
        return out;
    }

    @Override
    public void close() {
        feed.close();
    }
}
