package io.agentwire.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A run started by {@link AgentWireClient#send}: its id (known from its first event on), its events in seq order,
 * and its end ({@code pipeline.completed}). {@link #await(Duration)} blocks — cheap on a virtual thread.
 */
public final class Run {
    private final AgentWireClient client;
    final String requestId;
    private final List<Envelope> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<Envelope>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Envelope> done = new CompletableFuture<>();
    private volatile String runId;
    private volatile String status = "pending";

    Run(AgentWireClient client, String requestId) {
        this.client = client;
        this.requestId = requestId;
    }

    /** The run's id, or {@code null} until its first event arrived. */
    public String runId() {
        return runId;
    }

    /** {@code pending}, {@code running}, then {@code pipeline.completed}'s status ({@code completed}, {@code cancelled}, {@code rejected} …) or {@code failed}. */
    public String status() {
        return status;
    }

    /** The run's session events so far, in seq order. */
    public List<Envelope> events() {
        return List.copyOf(events);
    }

    /** Completes with {@code pipeline.completed}; fails with an {@link AgentWireException} when refused or the session is lost. */
    public CompletableFuture<Envelope> done() {
        return done;
    }

    /** Calls {@code listener} for each event of this run, on the client's event thread (don't block in it). */
    public Run onEvent(Consumer<Envelope> listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Waits for the run's end: returns {@code pipeline.completed}, or throws the {@link AgentWireException} that
     * ended it ({@code TIMEOUT} when {@code timeout} passes first).
     */
    public Envelope await(Duration timeout) throws InterruptedException {
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentWireException("TIMEOUT", "the run did not end within " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentWireException a ? a : new AgentWireException("CLIENT_ERROR", String.valueOf(e.getCause()), null, e.getCause());
        }
    }

    /** Cancels this run ({@code user.cancel} with its id once known, else every run of the session). */
    public void cancel() {
        client.cancel(runId);
    }

    void started(String id) {
        runId = id;
    }

    /** True when this event ended the run. */
    boolean event(Envelope e) {
        if (status.equals("pending")) status = "running";
        events.add(e);
        for (Consumer<Envelope> l : listeners) l.accept(e);
        if (e.event().equals("pipeline.completed")) {
            status = e.metadata().path("status").asText("completed");
            done.complete(e);
            return true;
        }
        return false;
    }

    void fail(AgentWireException error) {
        if (!done.isDone()) status = "failed";
        done.completeExceptionally(error);
    }
}
