package io.agentwire.dialect.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.Node;
import io.agentwire.dialect.spi.StreamState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Project access that backends grant over the HTTP API, beside the projects of a user's JWT. Every grant and
 * revocation is a publication on the core stream {@value #STREAM}, applied in offset order by every node that
 * follows it ({@link StreamState}): in cluster mode every node sees every grant, and since the stream is durable (the
 * provider declares {@code access:}) the grants survive a restart. A change completes once it is applied on this
 * node, so a client's subscribe that follows a grant's answer sees it.
 */
final class ProjectGrants implements AutoCloseable {
    static final String STREAM = "access:rooms";

    private final Map<String, Set<String>> projectsByUser = new ConcurrentHashMap<>();
    private final BiConsumer<String, String> onRevoke;
    private final StreamState state;

    /** @param onRevoke called with (user, project) after a revocation was applied (outside any lock) */
    ProjectGrants(Node node, BiConsumer<String, String> onRevoke) {
        this.onRevoke = onRevoke;
        this.state = new StreamState(node, STREAM, "project grants", this::apply);
    }

    /**
     * Reads the durable history, then applies live changes. The returned future is the first attempt; if it fails,
     * or if the subscription ends later (the broker's connection was lost in cluster mode), it starts again every
     * second until closed, catching up on what changed meanwhile (revocations included).
     */
    CompletableFuture<Void> start() {
        return state.start();
    }

    /** True once the grants are loaded and followed live. */
    boolean ready() {
        return state.ready();
    }

    /** Grants {@code user} access to {@code project}; completes once applied on this node. */
    CompletableFuture<Void> grant(String user, String project) {
        return change("grant", user, project);
    }

    /** Revokes a grant (not the JWT's projects); completes once applied on this node. */
    CompletableFuture<Void> revoke(String user, String project) {
        return change("revoke", user, project);
    }

    boolean has(String user, String project) {
        Set<String> p = projectsByUser.get(user);
        return p != null && p.contains(project);
    }

    /** The projects granted to {@code user} over the API. */
    Set<String> projects(String user) {
        Set<String> p = projectsByUser.get(user);
        return p == null ? Set.of() : Set.copyOf(p);
    }

    @Override
    public void close() {
        state.close();
    }

    private CompletableFuture<Void> change(String op, String user, String project) {
        JsonNode entry = JsonNodeFactory.instance.objectNode().put("op", op).put("user", user).put("project", project);
        return state.append(entry);
    }

    /** Applies one change; a revocation that removed a grant tells {@code onRevoke} after the lock. */
    private Runnable apply(JsonNode d) {
        String op = d.path("op").asText();
        String user = d.path("user").asText();
        String project = d.path("project").asText();
        if (op.equals("grant")) {
            projectsByUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(project);
        } else if (op.equals("revoke")) {
            Set<String> projects = projectsByUser.get(user);
            boolean revoked = projects != null && projects.remove(project);
            if (projects != null && projects.isEmpty()) projectsByUser.remove(user, projects);
            if (revoked) return () -> onRevoke.accept(user, project);
        }
        return null;
    }
}
