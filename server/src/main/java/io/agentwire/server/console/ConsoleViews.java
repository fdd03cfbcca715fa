package io.agentwire.server.console;

import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.ConsoleView.AgentRow;
import io.agentwire.dialect.spi.ConsoleView.Page;
import io.agentwire.dialect.spi.ConsoleView.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The console's views as JSON-ready maps: each list one {@link Page} of a server-side search, built across the
 * dialects' {@link ConsoleView}s without collecting more than the page. Runs on the console thread.
 */
final class ConsoleViews {
    private final ConsoleSources sources;
    private final RunTracker runs;
    private final Series series;

    ConsoleViews(ConsoleSources sources, RunTracker runs, Series series) {
        this.sources = sources;
        this.runs = runs;
        this.series = series;
    }

    /** A connection, room or agent row with the dialect it came from. */
    record Tagged<T>(String dialect, T row) { }

    /** Takes one sample for the charts. */
    void sample(long epochSecond) {
        int connections = 0;
        for (ConsoleView v : sources.dialects().values()) {
            for (int n : v.transports().values()) connections += n;
        }
        series.sample(epochSecond, sources.counter().applyAsDouble("agentwire.deliveries"),
                sources.counter().applyAsDouble("agentwire.errors"), connections,
                runs.byStatus().getOrDefault("running", 0));
    }

    Map<String, Object> overview() {
        Map<String, Map<String, Integer>> byDialect = new TreeMap<>();
        Map<String, Integer> byTransport = new TreeMap<>();
        int total = 0;
        for (var e : new TreeMap<>(sources.dialects()).entrySet()) {
            Map<String, Integer> t = e.getValue().transports();
            byDialect.put(e.getKey(), t);
            for (var x : t.entrySet()) {
                byTransport.merge(x.getKey(), x.getValue(), Integer::sum);
                total += x.getValue();
            }
        }
        Map<String, Object> out = view("overview");
        out.put("connections", total);
        out.put("byDialect", byDialect);
        out.put("byTransport", byTransport);
        out.put("runsByStatus", runs.byStatus());
        out.put("deliveriesPerSecond", series.latest(0));
        out.put("errorsPerSecond", series.latest(1));
        out.put("series", series.columns());
        return out;
    }

    Map<String, Object> connections(Query q) {
        return page("connections", across(ConsoleView::connections), q);
    }

    Map<String, Object> rooms(Query q) {
        return page("rooms", across(ConsoleView::rooms), q);
    }

    Map<String, Object> runs(Query q) {
        return page("runs", List.<Function<Query, Page<RunTracker.RunRow>>>of(runs::runs), q);
    }

    Map<String, Object> sessions(Query q) {
        return page("sessions", List.<Function<Query, Page<RunTracker.SessionRow>>>of(runs::sessions), q);
    }

    /** In-process agents, then remote agents, then the dialects' agents (e.g. mesh). */
    Map<String, Object> agents(Query q) {
        List<Function<Query, Page<Object>>> all = new ArrayList<>();
        all.add(query -> agentPage(sources.inProcessAgents().get().stream()
                .map(n -> new AgentRow(n, "in-process", "ready", "")), query));
        all.add(query -> agentPage(sources.remoteAgents().get().entrySet().stream()
                .map(e -> new AgentRow(e.getKey(), "remote", e.getValue() ? "connected" : "away", "")), query));
        all.addAll(across(ConsoleView::agents));
        return page("agents", all, q);
    }

    private static Page<Object> agentPage(java.util.stream.Stream<AgentRow> rows, Query q) {
        return Page.of(rows.filter(r -> q.matches(r.name(), r.kind(), r.status())).map(r -> new Tagged<>("", r)),
                r -> true, q);
    }

    /** The store, the cluster and the readiness checks. */
    Map<String, Object> cluster() {
        Map<String, Object> out = view("cluster");
        out.put("cluster", sources.cluster());
        out.put("ready", sources.node().ready());
        List<Map<String, Object>> checks = new ArrayList<>();
        new TreeMap<>(sources.checks()).forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            checks.add(Map.of("name", name, "ok", ok));
        });
        out.put("checks", checks);
        out.put("dialects", new TreeMap<>(sources.dialects()).keySet());
        return out;
    }

    /** A run with its events so far, or a not-found view. */
    Map<String, Object> run(String runId) {
        Map<String, Object> out = view("run");
        RunTracker.Detail d = runs.detail(runId);
        out.put("run", runId);
        if (d == null) {
            out.put("found", false);
            return out;
        }
        out.put("found", true);
        out.put("summary", d.row());
        out.put("first", d.row().events() - d.events().size() + 1);
        out.put("events", d.events());
        if (d.pendingContent() != null) out.put("pending", d.pendingContent());
        return out;
    }

    /** Each dialect's part of a list, tagged with its name, in name order. */
    private <T> List<Function<Query, Page<Object>>> across(BiFunction<ConsoleView, Query, Page<T>> part) {
        List<Function<Query, Page<Object>>> out = new ArrayList<>();
        new TreeMap<>(sources.dialects()).forEach((name, view) -> out.add(q -> {
            Page<T> p = part.apply(view, q);
            return new Page<>(p.items().stream().<Object>map(r -> new Tagged<>(name, r)).toList(), p.total(), p.offset());
        }));
        return out;
    }

    private static <T> Map<String, Object> page(String view, List<? extends Function<Query, Page<T>>> sources, Query q) {
        Page<T> p = Page.across(sources, q);
        Map<String, Object> out = view(view);
        out.put("q", q.search());
        out.put("offset", p.offset());
        out.put("limit", q.limit());
        out.put("total", p.total());
        out.put("items", p.items());
        return out;
    }

    private static Map<String, Object> view(String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "view");
        out.put("view", name);
        return out;
    }
}
