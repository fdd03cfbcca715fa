package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;


/** The {@link AgentContext} of one run, and the runtime's handle on it (cancel, end). */
final class RunContext implements AgentContext {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RunRequest request;
    private final EventPublisher events;
    private final PendingSteps steps;
    private final Consumer<RunContext> onEnd;
    private final Cancellation cancellation = new Cancellation();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The cancellation of each child thread of the run ({@link Forks}), by thread. */
    private final Map<Thread, Cancellation> children = new ConcurrentHashMap<>();

    /** @param onEnd removes the run from the active set; runs before {@code pipeline.completed} goes out */
    RunContext(RunRequest request, EventPublisher events, PendingSteps steps, Consumer<RunContext> onEnd) {
        this.request = request;
        this.events = events;
        this.steps = steps;
        this.onEnd = onEnd;
    }

    @Override public String sessionId() { return request.sessionId(); }

    @Override public String runId() { return request.runId(); }

    @Override
    public Publication emit(String event, String stepId, JsonNode content, ObjectNode metadata, String showContent) {
        Cancellation mine = current();
        mine.shield();
        try {
            return events.publish(event, stepId, content, metadata, showContent, this::leave);
        } finally {
            mine.unshield();
        }
    }

    @Override
    public JsonNode confirm(String stepId, String prompt, List<String> options, String defaultOption,
                            Duration timeout) {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(timeout, "timeout");
        List<String> choices = List.copyOf(options == null ? List.of() : options);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (!choices.isEmpty() && !choices.contains(defaultOption)) {
            throw new IllegalArgumentException("defaultOption " + defaultOption + " is not one of " + choices);
        }
        checkCancelled();
        PendingSteps.Step step = steps.register(sessionId(), stepId, runId(), choices);
        try {
            ObjectNode content = JSON.objectNode().put("prompt", prompt);
            choices.forEach(content.putArray("options")::add);
            ObjectNode meta = JSON.objectNode().put("timeout_ms", timeout.toMillis());
            meta.put("default_option", defaultOption);
            emit("agent.user_confirm", stepId, content, meta);
            return await(step, stepId, defaultOption, timeout);
        } finally {
            steps.remove(step);
        }
    }

    private JsonNode await(PendingSteps.Step step, String stepId, String defaultOption, Duration timeout) {
        try {
            return step.answer().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (!steps.remove(step)) return step.answer().join(); // answered just as the time ran out
            ObjectNode meta = JSON.objectNode().put("code", ErrorCode.CONFIRM_TIMEOUT.name());
            meta.put("step_id", stepId).put("timeout_ms", timeout.toMillis());
            emit("error.timeout", null, JSON.objectNode().put("message",
                    "No answer within " + timeout.toMillis() + " ms; continuing with \"" + defaultOption + "\""),
                    meta);
            return JSON.objectNode().put("value", defaultOption).put("timed_out", true);
        } catch (InterruptedException e) {
            interruptedWhileWaiting();
            throw new RunCancelledException(runId());
        } catch (ExecutionException e) {
            throw new IllegalStateException("confirmation failed", e.getCause());
        }
    }

    @Override
    public boolean cancelled() {
        Cancellation mine = current();
        if (mine == cancellation) return cancellation.requested();
        // a child that sees the run cancelled before the run's cancel reached it requests its own cancellation
        // first: its hooks are claimed (and run) before it can leave and close their registrations
        if (cancellation.requested()) mine.request();
        return mine.requested();
    }

    @Override
    public void checkCancelled() {
        if (cancelled()) throw new RunCancelledException(runId());
    }

    @Override
    public void pause(Duration duration) {
        checkCancelled();
        if (duration.isZero() || duration.isNegative()) return;
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            interruptedWhileWaiting();
            throw new RunCancelledException(runId());
        }
    }

    @Override
    public Registration onCancel(Runnable hook) {
        return current().onRequest(Objects.requireNonNull(hook, "hook"));
    }

    @Override
    public <T> List<T> parallel(List<? extends Callable<T>> tasks) throws Exception {
        checkCancelled();
        if (tasks.isEmpty()) return List.of();
        return Forks.all(this, "agent-" + runId() + "-fork", tasks);
    }

    @Override
    public <T> T within(String stepId, Duration timeout, Callable<T> step) throws Exception {
        Durations.positive("timeout", timeout);
        checkCancelled();
        try {
            return Forks.within(this, "agent-" + runId() + "-step", timeout, step);
        } catch (Forks.Expired e) {
            ObjectNode meta = JSON.objectNode().put("code", ErrorCode.TIMEOUT.name());
            if (stepId != null) meta.put("step_id", stepId);
            meta.put("timeout_ms", timeout.toMillis());
            String what = stepId == null ? "A step" : "Step " + stepId;
            emit("error.timeout", null, JSON.objectNode().put("message",
                    what + " did not finish within " + timeout.toMillis() + " ms"), meta);
            throw new StepTimeoutException(stepId, timeout,
                    what + " timed out after " + timeout.toMillis() + " ms");
        }
    }

    /** The cancellation of the calling thread: a child's, or the run's. */
    private Cancellation current() {
        Cancellation child = children.get(Thread.currentThread());
        return child != null ? child : cancellation;
    }

    /** The calling thread was interrupted in a wait: its cancellation (the run's, or a child's) is requested. */
    void interruptedWhileWaiting() {
        current().interrupted();
    }

    /** A child thread of the run starts ({@link Forks}). */
    void adopt(Thread thread, Cancellation childCancellation) {
        children.put(thread, childCancellation);
    }

    /** A child thread of the run ends. */
    void release(Thread thread) {
        children.remove(thread);
    }

    // --- the runtime's side ---

    RunRequest request() { return request; }

    EventPublisher events() { return events; }

    /** Requests cancellation (and runs the cancel hooks); false if it was already requested. */
    boolean cancel() { return cancellation.request(); }

    /** Called first on the run's thread. */
    void attach() { cancellation.attach(); }

    /** Called on the run's thread once the agent has returned: no more interrupts. */
    void detach() { cancellation.close(); }

    /** Removes the run from the active set (idempotent) and signals its end. */
    void end() {
        leave();
        done.complete(null);
    }

    private void leave() {
        onEnd.accept(this);
    }

    CompletableFuture<Void> done() { return done; }
}
