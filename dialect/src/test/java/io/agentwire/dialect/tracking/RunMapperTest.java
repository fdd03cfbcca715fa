package io.agentwire.dialect.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an envelope run's events map onto agent statuses, progress, log lines and outputs. */
class RunMapperTest {
    private final RunMapper mapper = new RunMapper("demo");
    private final TrackedSession session = new TrackedSession("sess_1", "envelope", 100, 0);
    private long seq;

    private RunMapper.Update apply(String event, ObjectNode content, ObjectNode meta) {
        ObjectNode e = WsClient.JSON.createObjectNode().put("session_id", "sess_1").put("event", event)
                .put("timestamp", "2026-11-21T12:00:00.123Z");
        e.set("content", content == null ? WsClient.JSON.createObjectNode() : content);
        ObjectNode m = meta == null ? WsClient.JSON.createObjectNode() : meta;
        e.set("metadata", m.put("run_id", "run_1"));
        RunMapper.Update u = mapper.apply(session, e, ++seq, 0);
        if (u.status() != null) session.put(u.status());
        if (u.log() != null) session.addLog(u.log());
        if (u.output() != null) session.addOutput(u.output());
        return u;
    }

    private static ObjectNode obj() {
        return WsClient.JSON.createObjectNode();
    }

    @Test
    void aRunIsLabelledWithTheAgentItsEventsName() {
        // A remote agent's run: its first events may carry no agent name; from the first one that does, the run
        // is shown under it — never under the default agent's name.
        AgentEntry first = apply("plan.start", obj().put("query", "q"), obj().put("agent", "scripted-node")).status();
        assertThat(first.agentName()).isEqualTo("scripted-node");
        assertThat(first.toActiveAgent().path("agent_name").asText()).isEqualTo("scripted-node");
        assertThat(apply("solver.start", obj().put("task_id", "t1"), null).status().agentName()).isEqualTo("scripted-node");
        AgentEntry done = apply("pipeline.completed", null, obj().put("status", "completed").put("agent", "scripted-node")).status();
        assertThat(done.agentName()).isEqualTo("scripted-node");

        RunMapper.Update late = mapper.apply(session, event("run_2", "agent.thinking", null), ++seq, 0);
        assertThat(late.log().path("agent").asText()).isEqualTo("demo");
        AgentEntry named = mapper.apply(session, event("run_2", "plan.start", "scripted-node"), ++seq, 0).status();
        assertThat(named.agentName()).isEqualTo("scripted-node");
    }

    private static ObjectNode event(String runId, String event, String agent) {
        ObjectNode e = WsClient.JSON.createObjectNode().put("session_id", "sess_1").put("event", event)
                .put("timestamp", "2026-11-21T12:00:00.123Z");
        e.set("content", WsClient.JSON.createObjectNode().put("query", "q"));
        ObjectNode m = WsClient.JSON.createObjectNode().put("run_id", runId);
        if (agent != null) m.put("agent", agent);
        e.set("metadata", m);
        return e;
    }

    @Test
    void theDemoScriptGoesFromAnalyzingToCompletedWithRisingProgress() {
        List<AgentEntry> statuses = new ArrayList<>();
        List<String> levels = new ArrayList<>();
        record Step(String event, ObjectNode content, ObjectNode meta) { }
        ObjectNode plan = obj();
        for (int i = 1; i <= 3; i++) plan.withArray("tasks").addObject().put("task_id", "task_" + i).put("description", "d" + i);
        List<Step> script = new ArrayList<>(List.of(
                new Step("plan.start", obj().put("query", "Compare three databases"), null),
                new Step("agent.thinking", obj().put("text", "hmm"), null),
                new Step("plan.completed", plan, null),
                new Step("agent.user_confirm", obj().put("prompt", "Run them?"), null)));
        for (int i = 1; i <= 3; i++) {
            script.add(new Step("solver.start", obj().put("task_id", "task_" + i).put("description", "d" + i), null));
            script.add(new Step("agent.tool_call", obj().put("tool", "demo_search"), obj().put("call_id", "c" + i)));
            script.add(new Step("solver.completed", obj().put("task_id", "task_" + i).put("result", "r" + i), null));
        }
        script.add(new Step("aggregate.start", obj().put("tasks", 3), null));
        script.add(new Step("aggregate.completed", obj().put("tasks", 3), null));
        script.add(new Step("agent.final_answer", obj().put("text", "the answer"), null));
        script.add(new Step("pipeline.completed", null, obj().put("status", "completed").put("duration_ms", 42)));
        for (Step s : script) {
            RunMapper.Update u = apply(s.event(), s.content(), s.meta());
            if (u.status() != null) statuses.add(u.status());
            levels.add(u.log().path("level").asText());
        }
        assertThat(statuses).extracting(AgentEntry::status).containsSubsequence(AgentStatus.ANALYZING,
                AgentStatus.PROCESSING, AgentStatus.COLLABORATING, AgentStatus.COMPLETED);
        assertThat(statuses).extracting(AgentEntry::progress).isSorted()
                .containsSubsequence(5, 15, 20, 40, 60, 80, 85, 95, 98, 100);
        assertThat(statuses).extracting(AgentEntry::agentId).containsOnly("run_1");
        assertThat(statuses.getLast().message()).isEqualTo("Completed in 42 ms");
        assertThat(statuses.getLast().metadata().path("tasks_done").asInt()).isEqualTo(3);
        assertThat(statuses.getLast().metadata().path("tasks_total").asInt()).isEqualTo(3);
        assertThat(levels).containsOnly("info");
        assertThat(session.query()).isEqualTo("Compare three databases");
        ObjectNode state = session.state();
        assertThat(state.path("overall_progress").asInt()).isEqualTo(100);
        assertThat(state.path("current_phase").asText()).isEqualTo("completed");
        assertThat(state.path("crew_output")).hasSize(4);
        assertThat(session.logs().get(0).path("message").asText()).isEqualTo("Planning: Compare three databases");
        assertThat(session.logs().get(0).path("timestamp").asText()).isEqualTo("2026-11-21T12:00:00.123Z");
    }

    @Test
    void aSolveTasksRunEstimatesProgressWithoutAPlan() {
        List<Integer> progress = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            progress.add(apply("solver.start", obj().put("task_id", "t" + i).put("description", "Check the logs"), null).status().progress());
            progress.add(apply("solver.completed", obj().put("task_id", "t" + i), null).status().progress());
        }
        assertThat(progress).containsExactly(20, 50, 50, 60, 60, 65);
        assertThat(session.query()).isEqualTo("Tasks: Check the logs");
    }

    @Test
    void failuresAreErrorsAndCancellationsAndRejectionsIdle() {
        apply("plan.start", obj().put("query", "q"), null);
        AgentEntry failing = apply("agent.error", obj().put("message", "The agent failed."), obj().put("code", "AGENT_FAILED")).status();
        assertThat(failing.status()).isEqualTo(AgentStatus.ERROR);
        assertThat(failing.message()).isEqualTo("The agent failed.");
        RunMapper.Update failed = apply("pipeline.completed", null, obj().put("status", "failed"));
        assertThat(failed.status().status()).isEqualTo(AgentStatus.ERROR);
        assertThat(failed.log().path("level").asText()).isEqualTo("error");
        assertThat(session.status()).isEqualTo("error");

        for (String st : List.of("cancelled", "rejected", "something_else")) {
            apply("plan.start", obj().put("query", "q"), null);
            RunMapper.Update end = apply("pipeline.completed", null, obj().put("status", st));
            assertThat(end.status().status()).as(st).isEqualTo(AgentStatus.IDLE);
            assertThat(end.status().metadata().path("run_status").asText()).isEqualTo(st);
            assertThat(end.log().path("level").asText()).isEqualTo("warning");
        }
        RunMapper.Update interrupted = apply("pipeline.completed", null, obj().put("status", "interrupted"));
        assertThat(interrupted.status().status()).isEqualTo(AgentStatus.ERROR);
        assertThat(interrupted.status().message()).startsWith("Interrupted");
    }

    @Test
    void aNewRunStartsANewRoundSoOverallProgressIsTheCurrentRuns() {
        apply("plan.start", obj().put("query", "first"), null);
        apply("pipeline.completed", null, obj().put("status", "completed"));
        assertThat(session.state().path("overall_progress").asInt()).isEqualTo(100);
        ObjectNode e = WsClient.JSON.createObjectNode().put("event", "plan.start");
        e.set("content", obj().put("query", "second"));
        e.set("metadata", obj().put("run_id", "run_2"));
        session.put(mapper.apply(session, e, ++seq, 0).status());
        ObjectNode state = session.state();
        assertThat(state.path("overall_progress").asInt()).isEqualTo(5);
        assertThat(state.path("active_agents")).hasSize(1);
        assertThat(state.path("active_agents").get(0).path("agent_id").asText()).isEqualTo("run_2");
        assertThat(session.summary().path("query").asText()).isEqualTo("second");
        assertThat(session.summary().path("agents_active").asInt()).isEqualTo(1);
    }
}
