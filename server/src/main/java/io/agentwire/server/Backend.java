package io.agentwire.server;

import io.agentwire.agent.AgentRuntime;
import io.agentwire.core.Blocking;
import io.agentwire.core.Broker;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.EventSink;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.LocalPresence;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.Presence;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.SessionStore;
import io.agentwire.redis.RedisCluster;
import io.agentwire.redis.RedisConfig;
import io.agentwire.store.SqliteStore;
import io.agentwire.store.UnfinishedRun;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Where a server keeps its streams, sessions and presence: on one node the embedded SQLite store with the memory
 * broker, in cluster mode ({@code agentwire.cluster.redis}) Redis for all of them (docs/cluster.md).
 */
sealed interface Backend extends AutoCloseable permits Backend.Embedded, Backend.Cluster {

    Broker broker();

    EventLog eventLog();

    SessionStore sessionStore();

    /** Connection and room counts: this node's, or the whole cluster's. */
    Presence presence();

    /**
     * Shared Socket.IO recovery records for {@code SocketIoServer.create(node, config, records)} in cluster mode;
     * empty on one node (the server keeps them in memory).
     */
    default Optional<RecoveryRecords> recoveryRecords() { return Optional.empty(); }

    /** Connects the node (cluster mode: a lost fan-out connection interrupts the node's subscriptions). */
    default void attach(Node node) { }

    /** The toolsmith's registry in cluster mode (shared by every node); empty on one node (SQLite in its data directory). */
    default Optional<io.agentwire.core.ToolStore> toolStore() { return Optional.empty(); }

    /** Where the agent runtime publishes: the node (cluster mode: through {@link RunLeaseSink}). */
    default EventSink agentSink(Node node) { return node; }

    /** Cluster mode: the runs of nodes that died are ended (as interrupted) by this node's runtime. */
    default void attachAgents(AgentRuntime agents) { }

    /** Adds the backend's readiness checks. */
    void checks(Map<String, BooleanSupplier> checks);

    void metrics(Metrics metrics);

    /** Runs a killed process left unfinished (embedded store only: in a cluster, other nodes may be running them). */
    List<UnfinishedRun> unfinishedRuns();

    /** For the startup banner: where the data is, in cluster mode (null: the data directory). */
    String clusterDescription();

    @Override
    void close();

    static Backend open(AgentWireConfig config) {
        if (config.cluster().isPresent()) return new Cluster(RedisCluster.open(config.cluster().get(), config.history()));
        return new Embedded(openStore(config), config.history());
    }

    private static SqliteStore openStore(AgentWireConfig config) {
        try {
            return SqliteStore.open(config.store());
        } catch (RuntimeException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** One node: SQLite and the memory broker. */
    final class Embedded implements Backend {
        private final SqliteStore store;
        private final MemoryBroker broker;
        private final LocalPresence presence = new LocalPresence();

        Embedded(SqliteStore store, HistoryConfig history) {
            this.store = store;
            this.broker = new MemoryBroker(history);
        }

        SqliteStore store() { return store; }

        @Override public Broker broker() { return broker; }
        @Override public EventLog eventLog() { return store.eventLog(); }
        @Override public SessionStore sessionStore() { return store.sessions(); }
        @Override public Presence presence() { return presence; }
        @Override public List<UnfinishedRun> unfinishedRuns() { return store.unfinishedRuns(); }
        @Override public String clusterDescription() { return null; }

        @Override
        public void checks(Map<String, BooleanSupplier> checks) {
            checks.put("store", store.eventLog()::ready);
            checks.put("broker", broker::ready);
        }

        @Override
        public void metrics(Metrics metrics) {
            metrics.counter("agentwire.store.commits", "transactions of appends committed by the store",
                    store::committedBatches);
        }

        /** The node closes the broker and the log; this closes the store's file. */
        @Override
        public void close() {
            store.close();
        }
    }

    /** Cluster mode: broker, durable log, sessions and presence in Redis. */
    final class Cluster implements Backend {
        private final RedisCluster redis;

        Cluster(RedisCluster redis) {
            this.redis = redis;
        }

        @Override public Optional<io.agentwire.core.ToolStore> toolStore() { return Optional.of(redis.toolStore()); }

        @Override public Broker broker() { return redis.broker(); }
        @Override public EventLog eventLog() { return redis.eventLog(); }
        @Override public SessionStore sessionStore() { return redis.sessions(); }
        @Override public Presence presence() { return redis.presence(); }
        @Override public List<UnfinishedRun> unfinishedRuns() { return List.of(); }
        @Override public Optional<RecoveryRecords> recoveryRecords() { return Optional.of(redis.recoveryRecords()); }

        @Override
        public String clusterDescription() {
            RedisConfig c = redis.config();
            return "redis " + c.address() + " (key prefix " + c.keyPrefix() + ", node " + redis.nodeId() + ")";
        }

        @Override
        public void attach(Node node) {
            redis.onInterruption(() -> node.interrupt(ErrorCode.BROKER_UNAVAILABLE));
        }

        @Override
        public EventSink agentSink(Node node) {
            return new RunLeaseSink(node, redis.runLeases());
        }

        @Override
        public void attachAgents(AgentRuntime agents) {
            redis.runLeases().onOrphans((session, run) -> Blocking.run(() -> agents.endInterrupted(session, run)));
        }

        @Override
        public void checks(Map<String, BooleanSupplier> checks) {
            checks.put("store", redis.eventLog()::ready);
            checks.put("broker", redis::ready);
        }

        @Override
        public void metrics(Metrics metrics) {
            metrics.gauge("agentwire.redis.up", "1 while both connections to Redis are up", () -> redis.ready() ? 1 : 0);
            metrics.counter("agentwire.redis.reconnects", "lost connections to Redis that were restored",
                    redis::reconnects);
        }

        @Override
        public void close() {
            redis.close();
        }
    }
}
