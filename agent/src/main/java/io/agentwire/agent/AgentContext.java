package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.List;

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
 * the runtime never interrupts the thread while it is publishing an event.
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
}
