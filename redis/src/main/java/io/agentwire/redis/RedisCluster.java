package io.agentwire.redis;

import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventLog;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.Ids;
import io.agentwire.core.Presence;
import io.agentwire.core.RecoveryRecords;
import io.agentwire.core.SessionStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode on one Redis: the connections (one for commands, one for the fan-out channel, both reconnecting by
 * themselves) and what runs on them — the {@link RedisBroker}, the durable {@link RedisEventLog}, the
 * {@link RedisSessionStore}, the cluster-wide {@link RedisPresence} and the Socket.IO {@link RedisRecoveryRecords}.
 * Every AgentWire node of a cluster opens one on the same Redis (and key prefix).
 *
 * <pre>{@code
 * RedisCluster redis = RedisCluster.open(RedisConfig.of("redis://10.0.0.5:6379"), history);
 * Node node = new Node(redis.broker(), redis.eventLog(), nodeConfig);
 * redis.onInterruption(() -> node.interrupt(ErrorCode.BROKER_UNAVAILABLE));
 * }</pre>
 *
 * While Redis is unreachable every call fails at once with BROKER_UNAVAILABLE (broker) or STORE_UNAVAILABLE (log,
 * sessions) and {@link #ready()} is false; nothing is queued to be replayed later.
 */
public final class RedisCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

    private final RedisConfig config;
    private final Keys keys;
    private final String nodeId = Ids.random(8);
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService scheduler;
    private final RedisLink<StatefulRedisConnection<String, String>> commands;
    private final RedisLink<StatefulRedisPubSubConnection<String, String>> pubsub;
    private final RedisBroker broker;
    private final RedisEventLog eventLog;
    private final RedisSessionStore sessions;
    private final RedisPresence presence;
    private final RedisRecoveryRecords recoveryRecords;
    private final RunLeases runLeases;
    private final RedisToolStore toolStore;
    private volatile long upSinceNanos = Long.MAX_VALUE;
    /** When Redis last answered the health probe's PING (or the command connection came up). */
    private volatile long lastAnswerNanos = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stalled;
    private volatile Runnable onInterruption = () -> { };
    private volatile boolean subscribedBefore;
    private volatile boolean closed;
    private static final long PROBE_EVERY_MS = 250;
    private static final Duration MAX_STALL = Duration.ofSeconds(2);

    private RedisCluster(RedisConfig config, HistoryConfig history) {
        this.config = config;
        this.keys = new Keys(config.keyPrefix());
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .protocolVersion(ProtocolVersion.RESP2)
                .socketOptions(SocketOptions.builder().connectTimeout(config.commandTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("aw-redis").factory());
        this.broker = new RedisBroker(this, keys, history);
        this.eventLog = new RedisEventLog(this, broker, keys);
        this.sessions = new RedisSessionStore(this, keys);
        this.presence = new RedisPresence(this, keys, nodeId, config.presenceHeartbeat());
        this.recoveryRecords = new RedisRecoveryRecords(this, keys);
        this.runLeases = new RunLeases(this, keys, nodeId, config.presenceHeartbeat());
        this.toolStore = new RedisToolStore(this, keys);
        this.commands = new RedisLink<>("command", config, () -> client.connectAsync(StringCodec.UTF8, uri),
                c -> {
                    upSinceNanos = System.nanoTime();
                    lastAnswerNanos = upSinceNanos;
                    eventLog.forgetEpoch();
                    presence.rewriteAll();
                    return CompletableFuture.completedFuture(null);
                }, () -> upSinceNanos = Long.MAX_VALUE, scheduler);
        this.pubsub = new RedisLink<>("fan-out", config, () -> client.connectPubSubAsync(StringCodec.UTF8, uri),
                this::subscribe, this::interrupted, scheduler);
        client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                if (!closed) scheduler.execute(() -> {
                    commands.check();
                    pubsub.check();
                });
            }
        });
    }

    /**
     * Connects to Redis (waiting up to the command timeout). If Redis is unreachable the cluster still opens, not
     * ready, and keeps reconnecting with backoff.
     */
    public static RedisCluster open(RedisConfig config, HistoryConfig history) {
        RedisCluster c = new RedisCluster(config, history);
        boolean up = c.commands.start(config.commandTimeout()) & c.pubsub.start(config.commandTimeout());
        if (!up) log.warn("Redis at {} is unreachable: not ready until it is (reconnecting with backoff)", config.address());
        c.scheduler.scheduleWithFixedDelay(c.broker.fanout::sweep, 60, 60, TimeUnit.SECONDS);
        c.scheduler.scheduleWithFixedDelay(c::probe, PROBE_EVERY_MS, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
        long retainEvery = Math.max(50, history.idleStreamTimeout().toMillis() / 3);
        c.scheduler.scheduleWithFixedDelay(c.broker::retain, retainEvery, retainEvery, TimeUnit.MILLISECONDS);
        c.presence.start(c.scheduler);
        long beat = config.presenceHeartbeat().toMillis();
        c.scheduler.scheduleWithFixedDelay(c.runLeases::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
        return c;
    }

    public RedisBroker broker() { return broker; }

    public EventLog eventLog() { return eventLog; }

    public SessionStore sessions() { return sessions; }

    public Presence presence() { return presence; }

    /** The agent runs in progress on this node, so that another node ends them if this one dies. */
    public RunLeases runLeases() { return runLeases; }

    /** Socket.IO connection state recovery records, readable by every node. */
    public RecoveryRecords recoveryRecords() { return recoveryRecords; }

    public RedisConfig config() { return config; }

    /** The toolsmith's registry, shared by every node. */
    public io.agentwire.core.ToolStore toolStore() { return toolStore; }

    /** This node's id in the cluster (presence entries are kept per node). */
    public String nodeId() { return nodeId; }

    /**
     * Whether both connections are up and Redis answers: publications can be written and are received. A Redis that
     * keeps its connections open but stops answering (stopped, frozen, swapping) is not ready once it has been
     * silent for {@link #stallAfter()}.
     */
    public boolean ready() {
        return commands.isUp() && pubsub.isUp() && !stalled;
    }

    /** Whether Redis is connected but has not answered for {@link #stallAfter()}. */
    public boolean stalled() {
        return stalled;
    }

    /** Silence after which a connected Redis counts as stalled: the command timeout, at most 2 s. */
    public Duration stallAfter() {
        return config.commandTimeout().compareTo(MAX_STALL) < 0 ? config.commandTimeout() : MAX_STALL;
    }

    /**
     * Every {@value #PROBE_EVERY_MS} ms: PINGs Redis (one at a time). When the last answer is older than
     * {@link #stallAfter()}, Redis is stalled: not ready, commands fail at once with BROKER_UNAVAILABLE instead of
     * waiting for their timeout, and this node's subscriptions end (the interruption handler: dialects close their
     * connections 1011 or send their error, and the clients resume once it is ready again). The first answer after
     * that ends the stall.
     */
    private void probe() {
        if (closed) return;
        StatefulRedisConnection<String, String> c = commands.connection();
        if (c == null) {
            lastAnswerNanos = System.nanoTime(); // down, not stalled: the link reconnects and readiness says so
            return;
        }
        if (probing.compareAndSet(false, true)) {
            try {
                c.async().ping().toCompletableFuture().whenComplete((pong, e) -> {
                    probing.set(false);
                    if (e != null) return;
                    lastAnswerNanos = System.nanoTime();
                    if (stalled) {
                        stalled = false;
                        log.warn("Redis at {} answers again: ready", config.address());
                    }
                });
            } catch (RuntimeException e) {
                probing.set(false);
            }
        }
        if (!stalled && System.nanoTime() - lastAnswerNanos > stallAfter().toNanos()) {
            stalled = true;
            log.error("Redis at {} has not answered for {} ms: not ready; commands fail at once and this node's "
                    + "subscriptions end until it answers again", config.address(), stallAfter().toMillis());
            interrupted();
        }
    }

    /** Times a lost connection to Redis was restored (both connections together). */
    public long reconnects() {
        return commands.reconnects() + pubsub.reconnects();
    }

    /**
     * Runs {@code task} whenever the fan-out channel is lost: publications meanwhile will not reach this node live,
     * so its subscribers should be told (their clients resume once the node is ready again).
     */
    public void onInterruption(Runnable task) {
        this.onInterruption = task;
    }

    private CompletableFuture<?> subscribe(StatefulRedisPubSubConnection<String, String> c) {
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                broker.fanout.received(message);
            }
        });
        return c.async().subscribe(keys.channel()).toCompletableFuture().thenRun(() -> {
            if (subscribedBefore) catchUp(0);
            subscribedBefore = true;
        });
    }

    /** Reads what the channel lost, once the command connection is up too (retries for up to 30 s). */
    private void catchUp(int attempt) {
        if (closed) return;
        if (commands.isUp()) {
            broker.fanout.catchUp();
        } else if (attempt < 300) {
            scheduler.schedule(() -> catchUp(attempt + 1), 100, TimeUnit.MILLISECONDS);
        }
    }

    private void interrupted() {
        try {
            onInterruption.run();
        } catch (RuntimeException e) {
            log.error("interruption handler failed", e);
        }
    }

    /** Runs a command on the command connection; failures become {@code code} with Redis' address. */
    <T> CompletableFuture<T> call(ErrorCode code, Function<RedisAsyncCommands<String, String>, CompletableFuture<T>> f) {
        StatefulRedisConnection<String, String> c = commands.connection();
        if (c == null) return CompletableFuture.failedFuture(unavailable(code, null));
        if (stalled) {
            return CompletableFuture.failedFuture(new AgentWireException(code, "Redis at " + config.address()
                    + " is unavailable: it has not answered for " + stallAfter().toMillis() + " ms"));
        }
        CompletableFuture<T> stage;
        try {
            stage = f.apply(c.async());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(code, e));
        }
        return stage.handle((r, e) -> {
            if (e != null) throw new CompletionException(unavailable(code, e));
            return r;
        });
    }

    <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, CompletableFuture<T>> f) {
        return call(ErrorCode.BROKER_UNAVAILABLE, f);
    }

    /** Waits for {@code f} (blocking callers: the event log's reads and the session store, on virtual threads). */
    <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(config.commandTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentWireException a) {
                throw new AgentWireException(a.code(), a.getMessage(), a);
            }
            throw unavailable(ErrorCode.STORE_UNAVAILABLE, cause);
        } catch (TimeoutException e) {
            throw unavailable(ErrorCode.STORE_UNAVAILABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(ErrorCode.STORE_UNAVAILABLE, e);
        }
    }

    AgentWireException unavailable(ErrorCode code, Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof AgentWireException a) return a;
        if (c instanceof RedisCommandExecutionException) log.error("Redis at {} refused a command", config.address(), c);
        String why = c == null ? "not connected" : c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return new AgentWireException(code, "Redis at " + config.address() + " is unavailable: " + why, c);
    }

    /** How long the command connection has been up without interruption (0 while it is down). */
    long upForMillis() {
        long since = upSinceNanos;
        return since == Long.MAX_VALUE ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** For tests: stops as a killed process would, leaving its presence entries to expire. */
    void crash() {
        closed = true;
        scheduler.shutdownNow();
        pubsub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** Removes this node's presence entries, closes the connections and Lettuce's threads. */
    @Override
    public void close() {
        if (closed) return;
        presence.close();
        runLeases.close();
        closed = true;
        scheduler.shutdownNow();
        broker.close();
        pubsub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
