package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.AgentGateway;
import io.agentwire.core.Blocking;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.EventSink;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs agents for the dialects: the {@link AgentGateway} they call. Each run gets an id ({@code run_} and 12 hex
 * digits) and its own virtual thread (started at the {@link Blocking} boundary); its events go to the session's
 * stream through the {@link EventSink}, each with {@code metadata.run_id}, and end with exactly one
 * {@code pipeline.completed}. Every method returns at once and may be called from an event loop.
 */
public final class AgentRuntime implements AgentGateway {
    private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final EventSink sink;
    private final Map<String, Agent> agents;
    private final String defaultAgent;
    private final AgentRuntimeConfig config;
    private final RunRegistry runs = new RunRegistry();
    private final PendingSteps steps = new PendingSteps();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean shutDown;
    private volatile AgentDirectory directory = AgentDirectory.NONE;
    private volatile RunMeters meters = RunMeters.NONE;

    /**
     * @param sink where the runs' events go (the Node)
     * @param agents the agents clients may choose, by {@link Agent#name()} (unique)
     * @param defaultAgent the name of the agent used when a command names none; one of {@code agents}
     * @param config the runtime's settings
     */
    public AgentRuntime(EventSink sink, Collection<? extends Agent> agents, String defaultAgent,
                        AgentRuntimeConfig config) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.config = Objects.requireNonNull(config, "config");
        Map<String, Agent> byName = new LinkedHashMap<>();
        for (Agent agent : agents) {
            String name = agent.name();
            if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("bad agent name " + name);
            if (byName.putIfAbsent(name, agent) != null) throw new IllegalArgumentException("two agents named " + name);
        }
        this.agents = Map.copyOf(byName);
        if (!this.agents.containsKey(defaultAgent)) {
            throw new IllegalArgumentException("default agent " + defaultAgent + " is not among " + byName.keySet());
        }
        this.defaultAgent = defaultAgent;
    }

    /** Counts the runs from now on (by agent and status, with durations). */
    public void meters(RunMeters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public Reply start(RunStart s) {
        if (shutDown) return Reply.refused(ErrorCode.SERVER_SHUTDOWN, "the server is shutting down");
        if (s.sessionId() == null || s.sessionId().isBlank()) {
            return Reply.refused(ErrorCode.MISSING_FIELD, "session_id is required");
        }
        String name = s.agent() == null ? defaultAgent : s.agent();
        Agent agent = agents.get(name);
        if (agent == null) agent = directory.find(name);
        if (agent == null) return Reply.refused(ErrorCode.AGENT_NOT_FOUND, "no agent named " + name);
        List<Task> tasks;
        try {
            tasks = Tasks.parse(s.tasks());
        } catch (IllegalArgumentException e) {
            return Reply.refused(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        if (tasks.isEmpty() && (s.text() == null || s.text().isBlank())) {
            return Reply.refused(ErrorCode.MISSING_FIELD, "a run needs content.text or content.tasks");
        }
        String runId = "run_" + HexFormat.of().formatHex(randomBytes(6));
        RunRequest request = new RunRequest(s.sessionId(), runId, name, s.principal(),
                tasks.isEmpty() ? s.text() : null, tasks, s.metadata());
        EventPublisher events = new EventPublisher(sink, s.sessionId(), runId, config.publishTimeout(),
                Clock.systemUTC());
        RunContext run = new RunContext(request, events, steps, runs::remove);
        if (!runs.tryAdd(run, config.maxRunsPerSession())) {
            return Reply.refused(ErrorCode.RUN_IN_PROGRESS,
                    "the session already has " + config.maxRunsPerSession() + " runs in progress");
        }
        Blocking.start("agent-" + name + "-" + runId, new RunDriver(agent, run, meters));
        if (shutDown) run.cancel();
        return Reply.started(runId);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Also resolves agent names through {@code directory} (agents registered while the server runs, such as remote
     * agents); the fixed agents win over it.
     */
    public void useDirectory(AgentDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public Reply respond(String sessionId, String stepId, JsonNode content) {
        return steps.answer(sessionId, stepId, content);
    }

    @Override
    public Reply cancel(String sessionId, String runId) {
        int count = 0;
        for (RunContext run : runs.of(sessionId)) {
            if ((runId == null || run.runId().equals(runId)) && run.cancel()) {
                log.info("run cancel requested session={} run={}", sessionId, run.runId());
                count++;
            }
        }
        return Reply.accepted(runId, count);
    }

    @Override
    public List<String> activeRuns(String sessionId) {
        return runs.of(sessionId).stream().map(RunContext::runId).toList();
    }

    /**
     * Ends a run that a previous server process left unfinished (it stopped without a graceful shutdown, e.g.
     * {@code kill -9}): publishes {@code agent.error {metadata:{code:"RUN_INTERRUPTED"}}} and
     * {@code pipeline.completed {metadata:{status:"interrupted"}}} to the session, so its clients stop waiting.
     * Blocks until both are durable; call it at start-up, before clients connect.
     */
    public void endInterrupted(String sessionId, String runId) {
        EventPublisher events = new EventPublisher(sink, sessionId, runId, config.publishTimeout(), Clock.systemUTC());
        JsonNodeFactory json = JsonNodeFactory.instance;
        events.publish("agent.error", null, json.objectNode().put("message", ErrorCode.RUN_INTERRUPTED.defaultMessage()),
                json.objectNode().put("code", ErrorCode.RUN_INTERRUPTED.name()), null, () -> { });
        events.publish(EventPublisher.COMPLETED, null, json.objectNode(), json.objectNode().put("status", "interrupted"), null, () -> { });
        log.info("run {} of session {} was left unfinished by the previous process: ended as interrupted", runId, sessionId);
    }

    /** The names of the in-process agents (for the web console). */
    public java.util.SortedSet<String> agentNames() {
        return new java.util.TreeSet<>(agents.keySet());
    }

    /** Runs in progress, all sessions together (cheap: for metrics). */
    public int activeRunCount() {
        return runs.all().size();
    }

    /**
     * Refuses new runs ({@code SERVER_SHUTDOWN}), cancels every run in progress and waits up to {@code grace}
     * for them to end (each publishing its {@code pipeline.completed}).
     */
    public void shutdown(Duration grace) {
        shutDown = true;
        List<RunContext> all = runs.all();
        all.forEach(RunContext::cancel);
        CompletableFuture<?>[] ends = all.stream().map(RunContext::done).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ends).get(grace.toMillis(), TimeUnit.MILLISECONDS);
            log.info("agent runtime shut down; {} runs cancelled", all.size());
        } catch (TimeoutException e) {
            log.warn("agent runtime shut down; {} runs still running after {} ms", runs.all().size(), grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
