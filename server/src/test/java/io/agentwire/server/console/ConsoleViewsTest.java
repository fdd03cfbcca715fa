package io.agentwire.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.HistoryConfig;
import io.agentwire.core.MemoryBroker;
import io.agentwire.core.Node;
import io.agentwire.core.NodeConfig;
import io.agentwire.core.Publication;
import io.agentwire.dialect.spi.ConsoleView;
import io.agentwire.dialect.spi.ConsoleView.ConnectionRow;
import io.agentwire.dialect.spi.ConsoleView.Page;
import io.agentwire.dialect.spi.ConsoleView.Query;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The console's lists are pages of a server-side search, whatever the number of rows behind them. */
class ConsoleViewsTest {

    /** A dialect with {@code n} registered connections; counts the rows it hands out. */
    private static final class ManyConnections implements ConsoleView {
        final int n;
        final AtomicInteger built = new AtomicInteger();

        ManyConnections(int n) {
            this.n = n;
        }

        @Override
        public Page<ConnectionRow> connections(Query q) {
            Stream<ConnectionRow> rows = IntStream.range(0, n).mapToObj(i -> {
                built.incrementAndGet();
                return new ConnectionRow("conn_" + i, i % 10 == 0 ? "alice" : "bob", "websocket", "10.0.0." + (i % 250),
                        List.of(), 0, 0, 1L);
            });
            return Page.of(rows, r -> q.matches(r.id(), r.principal()), q);
        }

        @Override
        public Map<String, Integer> transports() {
            return Map.of("websocket", n);
        }
    }

    private static ConsoleViews views(Map<String, ConsoleView> dialects) {
        Node node = new Node(new MemoryBroker(HistoryConfig.DEFAULT), null, NodeConfig.DEFAULT);
        ConsoleSources sources = new ConsoleSources(dialects, node, null, TreeSet::new, TreeMap::new, Map.of(),
                name -> 0, "one node");
        return new ConsoleViews(sources, new RunTracker(), new Series());
    }

    @Test
    void tenThousandConnectionsAreListedOnePageAtATime() {
        ManyConnections many = new ManyConnections(10_000);
        ConsoleViews views = views(Map.of("envelope", many));

        Map<String, Object> first = views.connections(new Query("", 0, 50));
        assertThat(first.get("total")).isEqualTo(10_000);
        assertThat((List<?>) first.get("items")).hasSize(50);

        Map<String, Object> last = views.connections(new Query("", 9_980, 50));
        assertThat((List<?>) last.get("items")).hasSize(20);
        assertThat(((ConsoleViews.Tagged<?>) ((List<?>) last.get("items")).get(0)).row())
                .extracting("id").isEqualTo("conn_9980");

        Map<String, Object> alice = views.connections(new Query("ALICE", 100, 50));
        assertThat(alice.get("total")).isEqualTo(1_000); // every tenth
        assertThat((List<?>) alice.get("items")).hasSize(50)
                .allSatisfy(t -> assertThat(((ConsoleViews.Tagged<?>) t).row()).extracting("principal").isEqualTo("alice"));

        Map<String, Object> overview = views.overview();
        assertThat(overview.get("connections")).isEqualTo(10_000);
    }

    @Test
    void aPageIsBuiltInOnePassKeepingOnlyItsRows() {
        List<Integer> kept = Page.of(IntStream.range(0, 10_000).boxed(), i -> i % 2 == 0, new Query("", 10, 5)).items();
        assertThat(kept).containsExactly(20, 22, 24, 26, 28);
    }

    @Test
    void pagesAcrossDialectsFollowOneAnotherAndTheirTotalsAddUp() {
        ConsoleViews views = views(Map.of("a", new ManyConnections(30), "b", new ManyConnections(40)));
        Map<String, Object> p = views.connections(new Query("", 25, 10));
        assertThat(p.get("total")).isEqualTo(70);
        List<?> items = (List<?>) p.get("items");
        assertThat(items).hasSize(10);
        assertThat(items.stream().map(t -> ((ConsoleViews.Tagged<?>) t).dialect() + "/"
                + ((ConnectionRow) ((ConsoleViews.Tagged<?>) t).row()).id()))
                .containsExactly("a/conn_25", "a/conn_26", "a/conn_27", "a/conn_28", "a/conn_29",
                        "b/conn_0", "b/conn_1", "b/conn_2", "b/conn_3", "b/conn_4");
    }

    @Test
    void theRunTrackerKeepsABoundedNumberOfRunsAndEvents() {
        RunTracker runs = new RunTracker();
        for (int r = 0; r < RunTracker.MAX_RUNS + 20; r++) {
            runs.onPublication(event("run_" + r, "plan.start", r + 1));
        }
        for (int e = 0; e < RunTracker.MAX_EVENTS + 5; e++) {
            runs.onPublication(event("run_" + (RunTracker.MAX_RUNS + 19), "agent.thinking", e + 1));
        }
        assertThat(runs.runs(new Query("", 0, 1)).total()).isEqualTo(RunTracker.MAX_RUNS);
        assertThat(runs.detail("run_0")).isNull(); // the oldest went first
        RunTracker.Detail newest = runs.detail("run_" + (RunTracker.MAX_RUNS + 19));
        assertThat(newest.events()).hasSize(RunTracker.MAX_EVENTS);
        assertThat(newest.row().events()).isEqualTo(RunTracker.MAX_EVENTS + 6);
        assertThat(newest.dropped()).isEqualTo(6);
    }

    @Test
    void theRunTrackerFollowsStatusAndPendingConfirmation() {
        RunTracker runs = new RunTracker();
        runs.onPublication(event("run_1", "plan.start", 1));
        ObjectNode confirm = (ObjectNode) event("run_1", "agent.user_confirm", 2).data();
        confirm.put("step_id", "confirm_plan_run_1");
        runs.onPublication(new Publication("session:s1", 2, "e", 0, confirm));
        assertThat(runs.detail("run_1").row().pendingStep()).isEqualTo("confirm_plan_run_1");
        ObjectNode end = (ObjectNode) event("run_1", "pipeline.completed", 3).data();
        ((ObjectNode) end.get("metadata")).put("status", "cancelled");
        runs.onPublication(new Publication("session:s1", 3, "e", 0, end));
        assertThat(runs.detail("run_1").row().pendingStep()).isNull();
        assertThat(runs.byStatus()).containsEntry("cancelled", 1);
        assertThat(runs.sessionOf("run_1")).isEqualTo("s1");
        runs.onPublication(event("run_2", "plan.start", 4));
        RunTracker.SessionRow session = runs.sessions(new Query("s1", 0, 10)).items().getFirst();
        assertThat(session).isEqualTo(new RunTracker.SessionRow("s1", 2, 1, "run_2", "running", 0));
        assertThat(runs.sessions(new Query("other", 0, 10)).total()).isZero();
    }

    private static Publication event(String runId, String event, long offset) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("session_id", "s1").put("event", event);
        data.putObject("content");
        data.putObject("metadata").put("run_id", runId);
        return new Publication("session:s1", offset, "e", 0, data);
    }
}
