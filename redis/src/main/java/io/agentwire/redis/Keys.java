package io.agentwire.redis;

/**
 * The names of AgentWire's keys and channel in Redis. The stream name sits in a hash tag ({@code {…}}) so a
 * stream's keys share a slot.
 *
 * <ul>
 *   <li>{@code P:{STREAM}:m} — hash: {@code top} (last offset), {@code epoch}</li>
 *   <li>{@code P:{STREAM}:x} — Redis Stream: one entry per publication, id {@code OFFSET-0}, fields {@code t}
 *       (Redis time, ms) and {@code d} (the JSON payload); bounded by count for ephemeral streams, whole for
 *       durable ones</li>
 *   <li>{@code P:epoch} — the durable log's epoch; {@code P:pub} — the fan-out channel</li>
 *   <li>{@code P:session:ID} — hash: a session record; {@code P:sessions:expiry} — sorted set by expiry</li>
 *   <li>{@code P:presence:SCOPE:NODE} — one node's presence counts of a scope, with a time to live</li>
 *   <li>{@code P:node:NODE} — a node's liveness (time to live: three heartbeats); {@code P:nodes} — the nodes;
 *       {@code P:runs:NODE} — the agent runs in progress on a node</li>
 *   <li>{@code P:recovery:SCOPE:KEY} — a recovery record (Socket.IO socket state), with a time to live</li>
 *   <li>{@code P:tools:…} — the toolsmith's registry ({@link RedisToolStore}): {@code tool:NAME} hash (def, emb,
 *       created, updated, usage), {@code tool:NAME:last} list (last 50 outcomes), {@code index} sorted set by first
 *       registration, {@code version}, {@code exec:SESSION} list and {@code exec:seq}, {@code cache:HASH} hash,
 *       {@code workflows} and {@code workflows:SESSION} lists, {@code reflections:TOOL} list and {@code reflection:seq},
 *       {@code patterns} hash, {@code lock}</li>
 * </ul>
 */
record Keys(String prefix) {
    String meta(String stream) { return prefix + ":{" + stream + "}:m"; }
    String stream(String stream) { return prefix + ":{" + stream + "}:x"; }
    String epoch() { return prefix + ":epoch"; }
    String channel() { return prefix + ":pub"; }
    String session(String id) { return prefix + ":session:" + id; }
    String sessionExpiry() { return prefix + ":sessions:expiry"; }
    /** The open sessions of one owner, scored by expiry (for the sessions-per-principal limit). */
    String openSessions(String owner) { return prefix + ":sessions:open:" + owner; }
    String presence(String scope, String nodeId) { return prefix + ":presence:" + scope + ":" + nodeId; }
    String presenceNodes(String scope) { return prefix + ":presence:" + scope + ":nodes"; }
    String node(String nodeId) { return prefix + ":node:" + nodeId; }
    String nodes() { return prefix + ":nodes"; }
    String runs(String nodeId) { return prefix + ":runs:" + nodeId; }
    String recovery(String scope, String key) { return prefix + ":recovery:" + scope + ":" + key; }
    String tools(String suffix) { return prefix + ":tools:" + suffix; }
}
