package io.agentwire.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunCancelledException;
import io.agentwire.core.Blocking;
import io.agentwire.core.Publication;
import io.agentwire.core.TextModel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The core {@link TextModel} port over an OpenAI-compatible chat model ({@link OpenAiChatClient}): what the server
 * hands dialects through {@code DialectContext.service(TextModel.class)} when a model is configured (e.g. the mesh
 * dialect's {@code llm} task assignment, its control loops). Each call runs on a virtual thread, outside any agent
 * run; completing the returned future early — {@code cancel}, {@code orTimeout} — aborts the HTTP exchange in flight.
 */
public final class ChatTextModel implements TextModel {
    private final OpenAiChatClient client;

    public ChatTextModel(OpenAiChatClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<String> complete(String system, String prompt) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Detached ctx = new Detached(result);
        Blocking.supply(() -> client.complete(new ChatRequest(null).system(system).user(prompt), piece -> { }, ctx).content())
                .whenComplete((text, e) -> {
                    if (e == null) result.complete(text); else result.completeExceptionally(e);
                });
        return result;
    }

    /** A context of no run: emits nothing; cancelled when the caller's future completes before the answer. */
    private static final class Detached implements AgentContext {
        private final CompletableFuture<String> result;

        Detached(CompletableFuture<String> result) {
            this.result = result;
        }

        @Override public String sessionId() { return "none"; }
        @Override public String runId() { return "none"; }
        @Override public Publication emit(String event, String stepId, JsonNode content, ObjectNode metadata, String showContent) {
            throw new UnsupportedOperationException("no run to emit to");
        }
        @Override public JsonNode confirm(String stepId, String prompt, List<String> options, String defaultOption, Duration timeout) {
            throw new UnsupportedOperationException("no run to confirm in");
        }
        @Override public boolean cancelled() { return result.isDone(); }
        @Override public void checkCancelled() {
            if (cancelled()) throw new RunCancelledException(runId());
        }
        @Override public void pause(Duration duration) { }
        @Override public <T> T within(String stepId, Duration timeout, Callable<T> step) throws Exception { return step.call(); }
        @Override public <T> List<T> parallel(List<? extends Callable<T>> tasks) throws Exception {
            throw new UnsupportedOperationException("no run");
        }
        @Override public Registration onCancel(Runnable hook) {
            AtomicBoolean live = new AtomicBoolean(true);
            result.whenComplete((x, e) -> {
                if (live.get()) hook.run();
            });
            return () -> live.set(false);
        }
    }
}
