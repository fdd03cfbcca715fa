package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Publication;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What an {@link Agent} can do during a run: publish events to the session, ask the user, and notice that the
 * run was cancelled. Call it from the run's own thread.
 *
 * <p><b>Events.</b> Each event is published as the envelope without {@code seq} and {@code connection_id}
 * (the dialect adds those): {@code session_id}, {@code step_id} (if any), {@code event}, {@code timestamp}
 * (ISO-8601 UTC with milliseconds), {@code content}, {@code metadata} (always with {@code run_id}) and
 * {@code show_content} (if given). {@code emit} returns once the event is published (and durable, where the
 * stream is); its {@link Publication#offset()} is the event's {@code seq}. {@code pipeline.completed} is the last
 * event of a run: the runtime adds {@code duration_ms} and {@code status} ({@code completed}) if absent, and
 * refuses any event after it. If the event can not be published, {@code emit} throws an
 * {@link io.agentwire.core.AgentWireException} and the run ends.
 *
 * <p><b>Cancellation</b> is cooperative: {@link #cancelled()} turns true, and {@link #pause}, {@link #confirm} and
 * {@link #checkCancelled()} throw {@link RunCancelledException}. A wait that is under way when the run is
 * cancelled (a pause, a confirmation, or the agent's own blocking call) is interrupted so that it ends at once;
 * the runtime never interrupts the thread while it is publishing an event. Blocking calls that an interrupt does
 * not end (an HTTP exchange, an MCP request) register an {@link #onCancel} hook that aborts them.
 *
 * <p><b>Threads.</b> Call it from the run's thread or from a thread started by {@link #parallel} or
 * {@link #within} (its children, which are cancelled with the run); not from threads of your own.
 */
public interface AgentContext {

    /** The session the run belongs to. */
    String sessionId();

    /** The run's id. */
    String runId();

    /** Publishes an event without a step id. See {@link #emit(String, String, JsonNode, ObjectNode, String)}. */
    default Publication emit(String event, JsonNode content, ObjectNode metadata) {
        return emit(event, null, content, metadata, null);
    }

    /** Publishes an event with a step id. See {@link #emit(String, String, JsonNode, ObjectNode, String)}. */
    default Publication emit(String event, String stepId, JsonNode content, ObjectNode metadata) {
        return emit(event, stepId, content, metadata, null);
    }

    /**
     * Publishes an event of the run and waits until it is published.
     *
     * @param event {@code namespace.name}, for example {@code agent.thinking}; not {@code user.*} or {@code system.*}
     * @param stepId the step it belongs to, or null
     * @param content what a person should see: a JSON object, or null for {@code {}}
     * @param metadata machine data, or null; {@code run_id} is added (and overrides any given)
     * @param showContent optional display text, or null
     * @return the publication; its offset is the event's {@code seq}
     * @throws IllegalArgumentException for a malformed event name or a content that is not an object
     * @throws IllegalStateException after {@code pipeline.completed}
     * @throws io.agentwire.core.AgentWireException if the event could not be published
     */
    Publication emit(String event, String stepId, JsonNode content, ObjectNode metadata, String showContent);

    /**
     * Asks the user and waits for the answer: emits {@code agent.user_confirm {step_id, content:{prompt, options},
     * metadata:{run_id, timeout_ms, default_option}}} and waits for the {@code user.response} with this step id.
     * If none comes within {@code timeout}, emits {@code error.timeout} (code {@code CONFIRM_TIMEOUT}) and returns
     * the default option as {@code {"value": defaultOption, "timed_out": true}}.
     *
     * @param stepId the step id, unique among the session's pending steps
     * @param options the choices offered (a {@code value} answer must be one of them); may be empty
     * @param defaultOption the choice taken on timeout; one of {@code options} if there are any
     * @return the user's answer: an object with {@code approved} (boolean) and/or {@code value}
     * @throws RunCancelledException if the run is cancelled before or while waiting
     */
    JsonNode confirm(String stepId, String prompt, List<String> options, String defaultOption, Duration timeout);

    /** True once the run has been cancelled. */
    boolean cancelled();

    /** @throws RunCancelledException if the run has been cancelled */
    void checkCancelled();

    /**
     * Sleeps for {@code duration} (zero returns at once), ending early if the run is cancelled.
     *
     * @throws RunCancelledException if the run is or becomes cancelled
     */
    void pause(Duration duration);

    // --- typed events (envelope.md's run shape) ---

    /** Emits {@code agent.thinking {text}}. */
    default Publication thinking(String text, ObjectNode metadata) {
        return emit("agent.thinking", JsonNodeFactory.instance.objectNode().put("text", text), metadata);
    }

    /** Emits {@code agent.partial_answer {text}}: a piece of an answer as it is produced. */
    default Publication partialAnswer(String text, ObjectNode metadata) {
        return emit("agent.partial_answer", JsonNodeFactory.instance.objectNode().put("text", text), metadata);
    }

    /** Emits {@code agent.tool_call {call_id, tool, arguments}} ({@code metadata.call_id} too). */
    default Publication toolCall(String callId, String tool, JsonNode arguments, ObjectNode metadata) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("call_id", callId).put("tool", tool);
        content.set("arguments", arguments == null ? JsonNodeFactory.instance.objectNode() : arguments);
        ObjectNode meta = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
        return emit("agent.tool_call", content, meta.put("call_id", callId));
    }

    /**
     * Emits {@code agent.tool_result {call_id, tool, result, is_error}} ({@code metadata.call_id} too; a failed
     * call also has {@code metadata.code}).
     */
    default Publication toolResult(String callId, String tool, String result, boolean isError, ObjectNode metadata) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("call_id", callId).put("tool", tool)
                .put("result", result).put("is_error", isError);
        ObjectNode meta = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
        return emit("agent.tool_result", content, meta.put("call_id", callId));
    }

    // --- retries, timeouts, structured concurrency, cancellation hooks ---

    /**
     * Calls {@code attempt} until it succeeds, retrying a {@link RetryableException} with the policy's backoff.
     * Each retry is announced first as {@code error.retry_attempt {content:{message}, metadata:{code, attempt,
     * max_attempts, delay_ms}}} ({@code attempt}: the number of the attempt about to be made, 2 for the first
     * retry); the wait between attempts ends early if the run is cancelled. Other exceptions pass through at once;
     * after the last attempt its failure is thrown.
     *
     * @param what what is being tried, for the message (for example "the model")
     * @throws RunCancelledException if the run is cancelled before or between attempts
     */
    default <T> T retry(String what, RetryPolicy policy, Callable<T> attempt) throws Exception {
        for (int n = 1; ; n++) {
            checkCancelled();
            try {
                return attempt.call();
            } catch (RetryableException e) {
                if (n >= policy.maxAttempts() || cancelled()) throw e;
                Duration delay = policy.delayAfter(n, ThreadLocalRandom.current());
                ObjectNode meta = JsonNodeFactory.instance.objectNode().put("code", e.code().name())
                        .put("attempt", n + 1).put("max_attempts", policy.maxAttempts()).put("delay_ms", delay.toMillis());
                emit("error.retry_attempt", JsonNodeFactory.instance.objectNode().put("message", what + " failed ("
                        + e.getMessage() + "); retrying in " + delay.toMillis() + " ms"), meta);
                pause(delay);
            }
        }
    }

    /**
     * Runs {@code step} on a child virtual thread and waits at most {@code timeout}. Past it the step is cancelled
     * (interrupted, its {@link #onCancel} hooks run) and awaited, {@code error.timeout {metadata:{code:"TIMEOUT",
     * step_id, timeout_ms}}} is emitted, and a {@link StepTimeoutException} is thrown. The step's own failure is
     * rethrown as it is.
     *
     * @throws RunCancelledException if the run is cancelled meanwhile (the step is cancelled and awaited first)
     */
    <T> T within(String stepId, Duration timeout, Callable<T> step) throws Exception;

    /**
     * Runs the tasks at once, each on a child virtual thread, and returns their results in order once all have
     * ended (structured concurrency). The first task to fail cancels the others (they are interrupted and their
     * {@link #onCancel} hooks run), and its exception is thrown once they have all ended. A cancelled run cancels
     * them all and throws {@link RunCancelledException}.
     */
    <T> List<T> parallel(List<? extends Callable<T>> tasks) throws Exception;

    /**
     * Registers {@code hook} to run once when the run is cancelled (at once, on this thread, if it already is),
     * for blocking calls that an interrupt does not end: abort an HTTP exchange, cancel an MCP request. Close the
     * registration when the call is over. The hook runs on the thread that cancels: keep it short, never block.
     */
    Registration onCancel(Runnable hook);

    /** A registered {@link #onCancel} hook; {@link #close()} removes it (idempotent). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
