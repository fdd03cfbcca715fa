package io.agentwire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of AgentWire's envelope protocol (docs/envelope.md, docs/clients.md) on the JDK's WebSocket.
 *
 * <p>One client is one logical connection to one session. It reconnects by itself with exponential backoff and
 * jitter ({@link ReconnectPolicy}), resumes the session from the last {@code seq} it saw (the server replays what
 * was missed, or a snapshot then the rest), drops duplicates so each session event is delivered exactly once and in
 * order, acks now and then, answers heartbeats, notices a silent link (no frame within the server's
 * {@code heartbeat_timeout_ms}) and, when given {@link Builder#onConfirm}, answers {@code agent.user_confirm}.
 *
 * <pre>{@code
 * try (AgentWireClient client = AgentWireClient.builder(URI.create("ws://localhost:8080/ws"))
 *         .token(jwt).onConfirm(confirm -> true).build()) {
 *     client.on("agent.partial_answer", e -> System.out.print(e.text()));
 *     client.connect();
 *     client.createSession();
 *     Envelope end = client.send("Compare three vector databases", RunOptions.agent("demo")).await(Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <p>Threads: blocking methods ({@link #connect()}, {@link #createSession()}, {@link Run#await}) suit virtual
 * threads. Listeners run on the client's own event thread, one at a time and in order; from a listener use the
 * non-blocking methods ({@link #send}, {@link #respond}, {@link #cancel}, the {@code …Async} variants).
 */
public final class AgentWireClient implements AutoCloseable {
    /** Where the client is in its life. */
    public enum State {
        /** Built, {@link #connect()} not called yet. */
        IDLE,
        /** The first connection is being opened. */
        CONNECTING,
        /** Connected ({@code system.connected} received). */
        OPEN,
        /** The connection dropped; a new one is on its way. */
        RECONNECTING,
        /** Closed for good. */
        CLOSED
    }

    private final Builder config;
    private final HttpClient http;
    private final ExecutorService actor;
    private final ScheduledExecutorService timers;
    private volatile Thread actorThread;
    private final Map<String, List<Consumer<Envelope>>> handlers = new ConcurrentHashMap<>();
    private final List<EventStream> streams = new CopyOnWriteArrayList<>();

    // Confined to the actor thread (volatile where read from others).
    private volatile State state = State.IDLE;
    private volatile String sessionId;
    private volatile long lastSeq;
    private volatile String connectionId;
    private volatile ObjectNode serverInfo;
    private Connection conn;
    private boolean ready;
    private final ArrayDeque<ObjectNode> queue = new ArrayDeque<>();
    private int attempt;
    private long lastAcked;
    private boolean seqOnThisConnection;
    private Duration heartbeatTimeout = Duration.ofSeconds(60);
    private final ArrayDeque<Run> pendingRuns = new ArrayDeque<>();
    private final Map<String, Run> runs = new HashMap<>();
    private final Map<String, Run> runRequests = new HashMap<>();
    private final Set<String> knownRunIds = new HashSet<>();
    private CompletableFuture<JsonNode> exportRequest;
    private Attaching attaching;
    private CompletableFuture<Void> connectWaiter;
    private ScheduledFuture<?> ackTimer;
    private ScheduledFuture<?> livenessTimer;
    private ScheduledFuture<?> reconnectTimer;
    private volatile CompletableFuture<?> closing = CompletableFuture.completedFuture(null);
    private int requestCounter;

    private record Attaching(boolean create, CompletableFuture<Object> future) { }

    private AgentWireClient(Builder b) {
        this.config = b;
        this.sessionId = b.sessionId;
        this.lastSeq = b.lastSeq;
        this.lastAcked = b.lastSeq;
        this.actor = Executors.newSingleThreadExecutor(r -> actorThread = Thread.ofVirtual().name("agentwire-client").unstarted(r));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("agentwire-client-timer").unstarted(r));
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** A builder for a client of the envelope endpoint at {@code url} ({@code ws://HOST:8080/ws}). */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    // ---- accessors --------------------------------------------------------------------------------------------

    /** The session this client is attached to (or will resume on connect), or {@code null}. */
    public String sessionId() {
        return sessionId;
    }

    /** The highest seq delivered: a resume starts after it. */
    public long lastSeq() {
        return lastSeq;
    }

    /** The server's id of the current connection, or {@code null}. */
    public String connectionId() {
        return connectionId;
    }

    /** What {@code system.connected} said (heartbeat_interval_ms, heartbeat_timeout_ms, max_payload_bytes …), or {@code null}. */
    public ObjectNode serverInfo() {
        return serverInfo;
    }

    /** Where the client is in its life. */
    public State state() {
        return state;
    }

    // ---- listening --------------------------------------------------------------------------------------------

    /** Calls {@code listener} for each envelope named {@code event} ({@code "agent.partial_answer"} …; {@code "*"}: all). */
    public AgentWireClient on(String event, Consumer<Envelope> listener) {
        handlers.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    /** Removes a listener added with {@link #on}. */
    public AgentWireClient off(String event, Consumer<Envelope> listener) {
        List<Consumer<Envelope>> l = handlers.get(event);
        if (l != null) l.remove(listener);
        return this;
    }

    /** A blocking queue of every envelope delivered from now on (for a virtual thread that reads in a loop). */
    public EventStream events() {
        EventStream s = new EventStream(this);
        streams.add(s);
        return s;
    }

    void unsubscribe(EventStream s) {
        streams.remove(s);
    }

    // ---- connecting -------------------------------------------------------------------------------------------

    /**
     * Opens the connection and waits until the server said {@code system.connected} and, when a session id was
     * given, the session is resumed. Throws {@link AgentWireException}: {@code SESSION_EXPIRED} /
     * {@code SESSION_NOT_FOUND} / {@code SESSION_FORBIDDEN} (the connection stays open: create a session),
     * {@code AUTH_FAILED}, {@code CONNECT_FAILED}, {@code TIMEOUT}.
     */
    public void connect() throws InterruptedException {
        await(connectAsync(), config.connectTimeout.plus(config.requestTimeout), "connected");
    }

    /** {@link #connect()} without blocking. */
    public CompletableFuture<Void> connectAsync() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        post(() -> {
            if (state != State.IDLE) {
                f.completeExceptionally(new AgentWireException("INVALID_STATE", "connect() was already called"));
                return;
            }
            state = State.CONNECTING;
            connectWaiter = f;
            open();
        });
        return f;
    }

    private void open() {
        String token = config.token == null ? null : config.token.get();
        URI uri = config.url;
        Map<String, String> headers = new HashMap<>();
        if (token != null && !token.isEmpty()) {
            if (config.tokenInQuery) {
                String q = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
                uri = URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + q);
            } else {
                headers.put("Authorization", "Bearer " + token);
            }
        }
        Connection.open(http, uri, headers, config.connectTimeout, new Connection.Handler() {
            @Override
            public void onFrame(Connection c, String text) {
                post(() -> frame(c, text));
            }

            @Override
            public void onClosed(Connection c, int code, String reason) {
                post(() -> closed(c, code, reason));
            }
        }).whenComplete((c, err) -> post(() -> {
            if (err == null) {
                if (state == State.CLOSED) c.abort();
                else conn = c;
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof WebSocketHandshakeException h && (h.getResponse().statusCode() == 401 || h.getResponse().statusCode() == 403)) {
                AgentWireException e = new AgentWireException("AUTH_FAILED", "the server refused the upgrade with HTTP "
                        + h.getResponse().statusCode() + ": " + h.getResponse().body(), null, cause);
                error(e);
                shutdown(e);
                return;
            }
            error(new AgentWireException("CONNECT_FAILED", String.valueOf(cause.getMessage()), null, cause));
            closed(null, 1006, String.valueOf(cause.getMessage()));
        }));
    }

    private void frame(Connection c, String text) {
        if (c != conn && conn != null) return;
        if (conn == null) conn = c; // the frame raced ahead of the open callback
        Envelope e;
        try {
            e = Envelope.of(Json.MAPPER.readTree(text));
        } catch (Exception ex) {
            error(new AgentWireException("INVALID_FRAME", "the server sent a frame that is not JSON"));
            return;
        }
        if (e.event().isEmpty()) return;
        if (e.seq() != null) {
            if (e.sessionId() != null && sessionId != null && !e.sessionId().equals(sessionId)) return;
            if (e.seq() <= lastSeq) return; // seen: exactly-once
            if (e.seq() != lastSeq + 1) config.listener.onGap(lastSeq + 1, e.seq());
            lastSeq = e.seq();
            seqOnThisConnection = true;
            scheduleAck();
        }
        handle(e);
        dispatch(e);
        track(e);
    }

    private void dispatch(Envelope e) {
        for (String key : new String[] {e.event(), "*"}) {
            for (Consumer<Envelope> l : handlers.getOrDefault(key, List.of())) {
                try {
                    l.accept(e);
                } catch (RuntimeException ex) {
                    error(new AgentWireException("LISTENER_FAILED", "a listener of " + e.event() + " threw " + ex, null, ex));
                }
            }
        }
        for (EventStream s : streams) s.offer(e);
    }

    private void handle(Envelope e) {
        switch (e.event()) {
            case "system.connected" -> {
                connectionId = e.metadata().path("connection_id").asText(e.connectionId());
                serverInfo = e.metadata();
                heartbeatTimeout = Duration.ofMillis(e.metadata().path("heartbeat_timeout_ms").asLong(60_000));
                state = State.OPEN;
                startLiveness();
                config.listener.onOpen(connectionId);
                if (sessionId != null) {
                    resumeNow();
                } else {
                    attempt = 0;
                    setReady();
                    if (connectWaiter != null) connectWaiter.complete(null);
                }
            }
            case "system.heartbeat" -> {
                if (!ackNow()) raw(Json.MAPPER.createObjectNode().put("event", "user.heartbeat"));
            }
            case "agent.session_created" -> {
                if (attaching != null && attaching.create) {
                    sessionId = e.content().path("session_id").asText(e.sessionId());
                    config.listener.onSession(sessionId, true);
                    Attaching a = attaching;
                    attaching = null;
                    setReady();
                    a.future.complete(sessionId);
                }
            }
            case "agent.state_exported" -> {
                JsonNode st = e.content().path("state");
                if (attaching != null && !attaching.create && st.has("last_seq")) {
                    // Extended flow: the snapshot covers everything up to its last_seq; what follows is replayed.
                    lastSeq = Math.max(lastSeq, st.path("last_seq").asLong());
                    for (JsonNode p : st.path("pending_confirmations")) confirm(snapshotConfirm(p));
                }
                if (exportRequest != null) {
                    exportRequest.complete(st);
                    exportRequest = null;
                }
            }
            case "system.notice" -> {
                if ("RESUMED".equals(e.content().path("code").asText()) && attaching != null && !attaching.create) {
                    Attaching a = attaching;
                    attaching = null;
                    attempt = 0;
                    config.listener.onResumed(e);
                    config.listener.onSession(sessionId, false);
                    setReady();
                    a.future.complete(e);
                    if (connectWaiter != null) connectWaiter.complete(null);
                }
            }
            case "error.recovery_failed" -> {
                if (attaching != null && !attaching.create) sessionLost(AgentWireException.from(e));
            }
            case "agent.user_confirm" -> confirm(e);
            default -> {
                if (e.event().startsWith("error.") || e.event().equals("system.error")) serverError(e);
            }
        }
    }

    private Envelope snapshotConfirm(JsonNode p) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("event", "agent.user_confirm").put("session_id", sessionId)
                .put("step_id", p.path("step_id").asText()).put("seq", p.path("seq").asLong()).put("from_snapshot", true);
        n.putObject("content").put("prompt", p.path("prompt").asText()).set("options", p.path("options"));
        n.putObject("metadata").put("run_id", p.path("run_id").asText()).put("timeout_ms", p.path("timeout_ms").asLong());
        return Envelope.of(n);
    }

    private void serverError(Envelope e) {
        AgentWireException err = AgentWireException.from(e);
        Run run = e.stepId() == null ? null : runRequests.remove(e.stepId());
        if (run != null) {
            pendingRuns.remove(run);
            run.fail(err);
        } else if (attaching != null && e.seq() == null && (e.event().equals("error.validation") || e.event().equals("system.error"))) {
            Attaching a = attaching;
            attaching = null;
            if (!a.create) sessionLost(err);
            a.future.completeExceptionally(err);
        }
        if (!e.event().equals("error.retry_attempt") && !e.event().equals("error.connection_lost")) error(err);
    }

    private void confirm(Envelope e) {
        if (config.onConfirm == null) return;
        Object answer;
        try {
            answer = config.onConfirm.apply(e);
        } catch (RuntimeException ex) {
            error(new AgentWireException("LISTENER_FAILED", "onConfirm threw " + ex, e, ex));
            return;
        }
        if (answer != null) respondNow(e.stepId(), answer);
    }

    private void track(Envelope e) {
        String runId = e.runId();
        if (e.seq() == null || runId == null) return;
        Run run = runs.get(runId);
        if (run == null && knownRunIds.add(runId)) {
            run = pendingRuns.poll();
            if (run != null) {
                run.started(runId);
                runs.put(runId, run);
                runRequests.remove(run.requestId);
            }
        }
        if (run != null && run.event(e)) runs.remove(runId);
    }

    private void resumeNow() {
        ready = false;
        attaching = new Attaching(false, new CompletableFuture<>());
        ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.reconnect").put("session_id", sessionId);
        m.putObject("content").put("last_seq", lastSeq);
        raw(m);
    }

    private void sessionLost(AgentWireException err) {
        String lost = sessionId;
        Attaching a = attaching;
        attaching = null;
        sessionId = null;
        lastSeq = 0;
        lastAcked = 0;
        knownRunIds.clear();
        failRuns(err);
        queue.clear();
        config.listener.onSessionLost(lost, err);
        setReady();
        if (a != null) a.future.completeExceptionally(err);
        if (connectWaiter != null) connectWaiter.completeExceptionally(err);
    }

    private void failRuns(AgentWireException err) {
        for (Run r : pendingRuns) r.fail(err);
        for (Run r : runs.values()) r.fail(err);
        pendingRuns.clear();
        runs.clear();
        runRequests.clear();
    }

    private void setReady() {
        ready = true;
        while (!queue.isEmpty()) raw(queue.poll());
    }

    private boolean raw(ObjectNode msg) {
        Connection c = conn;
        if (c == null || state != State.OPEN || !c.isOpen()) return false;
        c.send(msg.toString());
        return true;
    }

    private void command(ObjectNode msg) {
        post(() -> {
            if (sessionId != null && !msg.has("session_id")) msg.put("session_id", sessionId);
            if (!(ready && raw(msg))) queue.add(msg);
        });
    }

    private void scheduleAck() {
        if (lastSeq - lastAcked >= config.ackEvery) ackNow();
        else if (ackTimer == null) ackTimer = timers.schedule(() -> post(() -> { ackTimer = null; ackNow(); }),
                config.ackInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean ackNow() {
        if (!seqOnThisConnection || lastSeq <= lastAcked || sessionId == null) return false;
        ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.ack").put("session_id", sessionId);
        m.putObject("content").put("seq", lastSeq);
        if (!raw(m)) return false;
        lastAcked = lastSeq;
        return true;
    }

    // ---- sessions ---------------------------------------------------------------------------------------------

    /** Creates a session and attaches to it; returns its id. */
    public String createSession() throws InterruptedException {
        return createSession(null);
    }

    /** Creates a session with {@code metadata} (or {@code null}) and attaches to it; returns its id. */
    public String createSession(ObjectNode metadata) throws InterruptedException {
        return (String) await(createSessionAsync(metadata), config.requestTimeout, "agent.session_created");
    }

    /** {@link #createSession(ObjectNode)} without blocking. */
    public CompletableFuture<String> createSessionAsync(ObjectNode metadata) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        post(() -> {
            if (state != State.OPEN) {
                f.completeExceptionally(new AgentWireException("INVALID_STATE", "not connected"));
                return;
            }
            if (attaching != null) attaching.future.completeExceptionally(new AgentWireException("SUPERSEDED", "superseded by createSession"));
            attaching = new Attaching(true, f);
            sessionId = null;
            lastSeq = 0;
            lastAcked = 0;
            knownRunIds.clear();
            ready = false;
            ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.create_session");
            ObjectNode content = m.putObject("content");
            if (metadata != null) content.set("metadata", metadata);
            raw(m);
        });
        return f.thenApply(String.class::cast);
    }

    /** Attaches to session {@code id}, replaying what came after {@code afterSeq}; returns the {@code RESUMED} notice. */
    public Envelope resume(String id, long afterSeq) throws InterruptedException {
        return (Envelope) await(resumeAsync(id, afterSeq), config.requestTimeout, "system.notice RESUMED");
    }

    /** {@link #resume(String, long)} without blocking. */
    public CompletableFuture<Envelope> resumeAsync(String id, long afterSeq) {
        Objects.requireNonNull(id, "id");
        CompletableFuture<Envelope> result = new CompletableFuture<>();
        post(() -> {
            if (state != State.OPEN) {
                result.completeExceptionally(new AgentWireException("INVALID_STATE", "not connected"));
                return;
            }
            if (!id.equals(sessionId)) knownRunIds.clear();
            sessionId = id;
            lastSeq = afterSeq;
            lastAcked = afterSeq;
            resumeNow();
            attaching.future.whenComplete((v, err) -> {
                if (err != null) result.completeExceptionally(err);
                else result.complete((Envelope) v);
            });
        });
        return result;
    }

    /** The session's current state ({@code agent.state_exported}'s {@code content.state}). */
    public JsonNode exportState() throws InterruptedException {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        post(() -> {
            exportRequest = f;
            command(Json.MAPPER.createObjectNode().put("event", "user.export_state"));
        });
        return (JsonNode) await(f, config.requestTimeout, "agent.state_exported");
    }

    /** Closes the session (its runs are cancelled; its history stays readable); returns {@code agent.session_closed}. */
    public Envelope closeSession() throws InterruptedException {
        CompletableFuture<Envelope> f = new CompletableFuture<>();
        Consumer<Envelope> l = f::complete;
        on("agent.session_closed", l);
        try {
            command(Json.MAPPER.createObjectNode().put("event", "user.close_session"));
            return (Envelope) await(f, config.requestTimeout, "agent.session_closed");
        } finally {
            off("agent.session_closed", l);
        }
    }

    // ---- runs -------------------------------------------------------------------------------------------------

    /** Sends {@code user.message} with the server's default agent; a run starts. */
    public Run send(String text) {
        return send(text, RunOptions.DEFAULT);
    }

    /** Sends {@code user.message}; {@code options} pick the agent ({@code metadata.agent}) and the confirmation. */
    public Run send(String text, RunOptions options) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.message");
        m.putObject("content").put("text", text);
        m.set("metadata", options.toMetadata());
        return startRun(m);
    }

    /** Sends {@code user.solve_tasks}: a run that skips planning. */
    public Run solveTasks(List<String> tasks, RunOptions options) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.solve_tasks");
        ArrayNode a = m.putObject("content").putArray("tasks");
        tasks.forEach(a::add);
        m.set("metadata", options.toMetadata());
        return startRun(m);
    }

    private Run startRun(ObjectNode m) {
        Run run;
        synchronized (this) {
            run = new Run(this, "req_" + ++requestCounter);
        }
        m.put("step_id", run.requestId);
        post(() -> {
            if (state == State.CLOSED) {
                run.fail(new AgentWireException("CLIENT_CLOSED", "the client is closed"));
                return;
            }
            if (sessionId == null && attaching == null) {
                run.fail(new AgentWireException("SESSION_REQUIRED", "no session: createSession() or resume() first"));
                return;
            }
            pendingRuns.add(run);
            runRequests.put(run.requestId, run);
            command(m);
        });
        return run;
    }

    /** Answers an {@code agent.user_confirm}: approved or not. */
    public void respond(String stepId, boolean approved) {
        post(() -> respondNow(stepId, approved));
    }

    /** Answers an {@code agent.user_confirm} with one of its options ({@code "approve"}, {@code "reject"} …). */
    public void respond(String stepId, String value) {
        post(() -> respondNow(stepId, value));
    }

    private void respondNow(String stepId, Object answer) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.response").put("step_id", stepId);
        switch (answer) {
            case Boolean b -> m.putObject("content").put("approved", b);
            case String s -> m.putObject("content").put("value", s);
            case ObjectNode o -> m.set("content", o);
            default -> throw new IllegalArgumentException("an answer is a Boolean, a String or an ObjectNode: " + answer);
        }
        command(m);
    }

    /** Cancels every run of the session. */
    public void cancel() {
        cancel(null);
    }

    /** Cancels run {@code runId} (or every run of the session when {@code null}). */
    public void cancel(String runId) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("event", "user.cancel");
        ObjectNode meta = m.putObject("metadata");
        if (runId != null) meta.put("run_id", runId);
        command(m);
    }

    // ---- liveness, drops, reconnects ---------------------------------------------------------------------------

    private void startLiveness() {
        if (livenessTimer != null) livenessTimer.cancel(false);
        long every = Math.max(250, Math.min(5000, heartbeatTimeout.toMillis() / 4));
        livenessTimer = timers.scheduleAtFixedRate(() -> post(this::checkLiveness), every, every, TimeUnit.MILLISECONDS);
    }

    private void checkLiveness() {
        Connection c = conn;
        if (c == null || state != State.OPEN) return;
        if (System.nanoTime() - c.lastFrameNanos > heartbeatTimeout.toNanos()) {
            // Nothing from the server, not even a heartbeat: the link is dead (a half-open TCP connection).
            error(new AgentWireException("HEARTBEAT_TIMEOUT", "no frame from the server for " + heartbeatTimeout.toMillis() + " ms"));
            c.abort();
        }
    }

    private void closed(Connection c, int code, String reason) {
        if (c != null && conn != null && c != conn) return;
        conn = null;
        ready = false;
        if (livenessTimer != null) livenessTimer.cancel(false);
        if (ackTimer != null) ackTimer.cancel(false);
        ackTimer = null;
        if (attaching != null) {
            Attaching a = attaching;
            attaching = null;
            if (a.create) a.future.completeExceptionally(new AgentWireException("CONNECTION_LOST", "the connection closed before the session was created"));
            else if (sessionId == null) a.future.completeExceptionally(new AgentWireException("CONNECTION_LOST", "the connection closed"));
            // a resume in flight is done again on the next connection
        }
        if (state == State.CLOSED) return;
        if (state == State.CONNECTING) {
            state = State.CLOSED;
            AgentWireException e = new AgentWireException("CONNECT_FAILED", "could not connect (" + code + " " + reason + ")");
            if (connectWaiter != null) connectWaiter.completeExceptionally(e);
            shutdown(e);
            return;
        }
        int n = ++attempt;
        if (n > config.reconnect.maxAttempts()) {
            shutdown(new AgentWireException("RECONNECT_FAILED", "gave up after " + (n - 1) + " reconnect attempts"));
            return;
        }
        Duration delay = config.reconnect.delay(n, () -> ThreadLocalRandom.current().nextDouble());
        state = State.RECONNECTING;
        config.listener.onDisconnected(code, reason);
        config.listener.onReconnecting(n, delay);
        reconnectTimer = timers.schedule(() -> post(() -> {
            reconnectTimer = null;
            if (state == State.RECONNECTING) open();
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops the TCP connection at once, as a network failure would; the client reconnects and resumes. For tests and demos. */
    public void simulateDrop() {
        post(() -> {
            if (conn != null) conn.abort();
        });
    }

    private void shutdown(AgentWireException reason) {
        state = State.CLOSED;
        if (reconnectTimer != null) reconnectTimer.cancel(false);
        if (livenessTimer != null) livenessTimer.cancel(false);
        if (ackTimer != null) ackTimer.cancel(false);
        Connection c = conn;
        conn = null;
        if (c != null) closing = c.close();
        if (attaching != null) attaching.future.completeExceptionally(reason);
        attaching = null;
        if (connectWaiter != null) connectWaiter.completeExceptionally(reason);
        if (exportRequest != null) exportRequest.completeExceptionally(reason);
        failRuns(reason);
        config.listener.onClosed(reason);
    }

    /**
     * Acks what was seen, closes the connection cleanly (1000) and stops reconnecting. The session lives on on
     * the server: another client can resume it from {@link #sessionId()} and {@link #lastSeq()}.
     */
    @Override
    public void close() {
        if (actor.isShutdown()) return;
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(() -> {
            if (state != State.CLOSED) {
                ackNow();
                shutdown(new AgentWireException("CLIENT_CLOSED", "the client was closed"));
            }
            done.complete(null);
        });
        try {
            if (Thread.currentThread() != actorThread) {
                done.get(5, TimeUnit.SECONDS);
                closing.handle((x, err) -> null).get(3, TimeUnit.SECONDS); // the close frame is out
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        }
        actor.shutdown();
        timers.shutdownNow();
        http.shutdown();
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private void post(Runnable task) {
        try {
            actor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    error(new AgentWireException("CLIENT_ERROR", String.valueOf(e), null, e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the client is closed: nothing more happens
        }
    }

    private void error(AgentWireException e) {
        try {
            config.listener.onError(e);
        } catch (RuntimeException ignored) {
            // a listener's failure must not stop the client
        }
    }

    private Object await(CompletableFuture<?> f, Duration timeout, String what) throws InterruptedException {
        if (Thread.currentThread() == actorThread) {
            throw new IllegalStateException("a blocking call on the client's event thread (in a listener): use the …Async variant");
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentWireException("TIMEOUT", "no " + what + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentWireException a ? a
                    : new AgentWireException("CLIENT_ERROR", String.valueOf(e.getCause()), null, e.getCause());
        }
    }

    /** Settings of an {@link AgentWireClient}. */
    public static final class Builder {
        private final URI url;
        private Supplier<String> token;
        private boolean tokenInQuery;
        private String sessionId;
        private long lastSeq;
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private int ackEvery = 20;
        private Duration ackInterval = Duration.ofSeconds(1);
        private Function<Envelope, Object> onConfirm;
        private ClientListener listener = new ClientListener() { };
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(URI url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /** A JWT sent as {@code Authorization: Bearer} (or {@code ?token=}, see {@link #tokenInQuery}). */
        public Builder token(String token) {
            return token(() -> token);
        }

        /** A JWT asked for before every connection, so it can be refreshed. */
        public Builder token(Supplier<String> token) {
            this.token = token;
            return this;
        }

        /** Send the token as {@code ?token=} instead of a header. */
        public Builder tokenInQuery(boolean inQuery) {
            this.tokenInQuery = inQuery;
            return this;
        }

        /** Resume this session on connect, after {@code lastSeq}. */
        public Builder resume(String sessionId, long lastSeq) {
            this.sessionId = sessionId;
            this.lastSeq = lastSeq;
            return this;
        }

        /** The backoff between reconnect attempts (default {@link ReconnectPolicy#DEFAULT}). */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy);
            return this;
        }

        /** Ack after this many new events (default 20) or {@code interval} (default 1 s), whichever comes first. */
        public Builder ack(int every, Duration interval) {
            if (every < 1) throw new IllegalArgumentException("ack every >= 1 events");
            this.ackEvery = every;
            this.ackInterval = interval;
            return this;
        }

        /**
         * Answers every {@code agent.user_confirm}: return a {@code Boolean} (approved), a {@code String} (one of its
         * options), an {@code ObjectNode} (the content), or {@code null} to answer later with {@link AgentWireClient#respond}.
         */
        public Builder onConfirm(Function<Envelope, Object> answer) {
            this.onConfirm = answer;
            return this;
        }

        /** Told about the client's life: connections, resumes, drops, errors. */
        public Builder listener(ClientListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** How long opening a connection may take (default 15 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long blocking calls ({@code createSession}, {@code resume} …) wait. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** A new client; nothing happens until {@link AgentWireClient#connect()}. */
        public AgentWireClient build() {
            return new AgentWireClient(this);
        }
    }
}
