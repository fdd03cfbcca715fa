package io.agentwire.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.core.Publication;
import io.agentwire.core.RunEvent;
import io.agentwire.core.Subscriber;
import io.agentwire.dialect.spi.ConsoleView.Page;
import io.agentwire.dialect.spi.ConsoleView.Query;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runs the console shows, followed live through a tap on every session stream of this node ({@code session:}):
 * the last {@value #MAX_RUNS} runs, each with its last {@value #MAX_EVENTS} events in stream order, its status
 * ({@code running} until its {@code pipeline.completed}), the confirmation it waits for, its tool calls. Bounded
 * whatever the traffic; the tap's callback only appends under a lock (it never blocks the hub).
 */
final class RunTracker implements Subscriber {
    static final int MAX_RUNS = 500;
    static final int MAX_EVENTS = 1_000;

    /** One run as seen so far. Guarded by the tracker's lock. */
    static final class Run {
        final String runId;
        final String sessionId;
        final long startedAtMillis;
        final ArrayDeque<JsonNode> events = new ArrayDeque<>();
        String status = "running";
        String pendingStep;
        JsonNode pendingContent;
        int toolCalls;
        int dropped;
        long updatedAtMillis;

        Run(String runId, String sessionId, long now) {
            this.runId = runId;
            this.sessionId = sessionId;
            this.startedAtMillis = now;
            this.updatedAtMillis = now;
        }
    }

    /** A run's summary row. */
    record RunRow(String runId, String sessionId, String status, String pendingStep, int events, int toolCalls,
                  long startedAtMillis, long updatedAtMillis) { }

    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Hears each run event as it is published: its run, its number in the run (1, 2 …) and the event. */
    @FunctionalInterface
    interface Listener {
        void event(String runId, int n, JsonNode event);
    }

    @Override
    public void onPublication(Publication p) {
        JsonNode data = p.data();
        String runId = data.path("metadata").path("run_id").asText(null);
        if (runId == null) return;
        String event = data.path("event").asText("");
        synchronized (runs) {
            Run run = runs.get(runId);
            if (run == null) {
                run = new Run(runId, data.path("session_id").asText(""), p.timeMillis());
                runs.put(runId, run);
                if (runs.size() > MAX_RUNS) evictOne();
            }
            run.updatedAtMillis = p.timeMillis();
            run.events.addLast(data);
            if (run.events.size() > MAX_EVENTS) {
                run.events.removeFirst();
                run.dropped++;
            }
            if (event.equals("agent.tool_call")) run.toolCalls++;
            if (event.equals("agent.user_confirm")) {
                run.pendingStep = data.path("step_id").asText(null);
                run.pendingContent = data.path("content");
            } else {
                run.pendingStep = null;
                run.pendingContent = null;
            }
            if (event.equals(RunEvent.COMPLETED)) run.status = data.path("metadata").path("status").asText("completed");
            int n = run.events.size() + run.dropped;
            for (Listener l : listeners) l.event(runId, n, data); // under the lock: in the run's order
        }
    }

    /** Drops the oldest finished run, or the oldest run if all are running. */
    private void evictOne() {
        Iterator<Run> it = runs.values().iterator();
        while (it.hasNext()) {
            if (!it.next().status.equals("running")) {
                it.remove();
                return;
            }
        }
        runs.remove(runs.keySet().iterator().next());
    }

    /** Calls {@code listener} with every run event from now on (on the publishing thread: it must not block). */
    AutoCloseable listen(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The runs matching {@code query}, newest first. */
    Page<RunRow> runs(Query query) {
        List<RunRow> all = new ArrayList<>();
        synchronized (runs) {
            runs.values().forEach(r -> all.add(row(r)));
        }
        return Page.of(all.reversed().stream(),
                r -> query.matches(r.runId(), r.sessionId(), r.status(), r.pendingStep()), query);
    }

    /** A session as its kept runs show it: how many, how many still running, the latest run and when. */
    record SessionRow(String sessionId, int runs, int running, String lastRunId, String lastStatus, long updatedAtMillis) { }

    /** The sessions of the kept runs matching {@code query}, the most recently active first. */
    Page<SessionRow> sessions(Query query) {
        Map<String, SessionRow> bySession = new LinkedHashMap<>();
        synchronized (runs) {
            for (Run r : runs.values()) {
                SessionRow prev = bySession.get(r.sessionId);
                boolean newer = prev == null || r.updatedAtMillis >= prev.updatedAtMillis();
                bySession.put(r.sessionId, new SessionRow(r.sessionId, prev == null ? 1 : prev.runs() + 1,
                        (prev == null ? 0 : prev.running()) + (r.status.equals("running") ? 1 : 0),
                        newer ? r.runId : prev.lastRunId(), newer ? r.status : prev.lastStatus(),
                        newer ? r.updatedAtMillis : prev.updatedAtMillis()));
            }
        }
        return Page.of(bySession.values().stream()
                        .sorted(java.util.Comparator.comparingLong(SessionRow::updatedAtMillis).reversed()),
                r -> query.matches(r.sessionId(), r.lastRunId(), r.lastStatus()), query);
    }

    /** How many runs of those kept have each status. */
    Map<String, Integer> byStatus() {
        Map<String, Integer> counts = new TreeMap<>();
        synchronized (runs) {
            runs.values().forEach(r -> counts.merge(r.status, 1, Integer::sum));
        }
        return counts;
    }

    /** The run's summary and its events so far, or null when it is not (or no longer) kept. */
    Detail detail(String runId) {
        synchronized (runs) {
            Run r = runs.get(runId);
            return r == null ? null : new Detail(row(r), List.copyOf(r.events), r.dropped, r.pendingContent);
        }
    }

    /** A run with its events (the oldest {@code dropped} no longer kept) and the confirmation it waits for. */
    record Detail(RunRow row, List<JsonNode> events, int dropped, JsonNode pendingContent) { }

    /** The session of a kept run, or null. */
    String sessionOf(String runId) {
        synchronized (runs) {
            Run r = runs.get(runId);
            return r == null ? null : r.sessionId;
        }
    }

    private static RunRow row(Run r) {
        return new RunRow(r.runId, r.sessionId, r.status, r.pendingStep, r.events.size() + r.dropped, r.toolCalls,
                r.startedAtMillis, r.updatedAtMillis);
    }
}
