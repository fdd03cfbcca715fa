package io.agentwire.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.EventSink;
import io.agentwire.core.Publication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** An in-memory {@link EventSink}: assigns offsets 1..N per stream and records every publication. */
final class MemorySink implements EventSink {
    static final Duration GUARD = Duration.ofSeconds(10);

    private final Map<String, Long> offsets = new HashMap<>();
    private final List<Publication> publications = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Publication> publish(String stream, JsonNode data) {
        long offset = offsets.merge(stream, 1L, Long::sum);
        Publication p = new Publication(stream, offset, "test", System.currentTimeMillis(), data);
        publications.add(p);
        notifyAll();
        return CompletableFuture.completedFuture(p);
    }

    synchronized List<Publication> publications() {
        return List.copyOf(publications);
    }

    /** The events of one run, in publication order. */
    synchronized List<JsonNode> events(String runId) {
        return publications.stream().map(Publication::data)
                .filter(d -> runId.equals(d.path("metadata").path("run_id").asText())).toList();
    }

    /** The event names of one run, in publication order. */
    List<String> names(String runId) {
        return events(runId).stream().map(d -> d.path("event").asText()).toList();
    }

    /** Waits (up to {@link #GUARD}, as a failure guard only) for the run's first event with this name. */
    JsonNode await(String runId, String event) {
        return await(d -> runId.equals(d.path("metadata").path("run_id").asText())
                && event.equals(d.path("event").asText()), runId + " " + event);
    }

    /** Waits for the run's {@code pipeline.completed}. */
    JsonNode awaitEnd(String runId) {
        return await(runId, "pipeline.completed");
    }

    synchronized JsonNode await(Predicate<JsonNode> match, String what) {
        return await(match, what, GUARD);
    }

    /** Waits up to {@code guard} (a failure guard only) for the first publication that matches. */
    synchronized JsonNode await(Predicate<JsonNode> match, String what, Duration guard) {
        long deadline = System.nanoTime() + guard.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < publications.size(); seen++) {
                if (match.test(publications.get(seen).data())) return publications.get(seen).data();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no event " + what + " within " + guard + "; got " + names());
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private List<String> names() {
        return publications.stream().map(p -> p.data().path("event").asText()).toList();
    }
}
