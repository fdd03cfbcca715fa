package io.agentwire.dialect.tracking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the tracker knows of one session: its query, its agents' latest statuses, its last log lines and outputs,
 * and (for envelope sessions) the progress of its runs. Bounded: at most {@value #MAX_AGENTS} agents,
 * {@code maxLogs} lines and {@value #MAX_OUTPUTS} outputs, the oldest dropped first. Confined to the tracker's
 * thread.
 *
 * <p>A <em>round</em> starts whenever an agent becomes active while none was: {@code overall_progress} and
 * {@code active_agents} cover the agents updated in the current round, so a session's earlier, finished runs do
 * not weigh on the progress of the one under way.
 */
final class TrackedSession {
    static final int MAX_AGENTS = 100;
    static final int MAX_OUTPUTS = 50;
    static final int MAX_QUERY = 500;

    /** An agent of the session: its latest status, the round it was last updated in, when it was first seen. */
    record Member(AgentEntry agent, int round, long startedMillis) { }

    private final String id;
    private final String source;
    private final int maxLogs;
    private final LinkedHashMap<String, Member> agents = new LinkedHashMap<>();
    private final Map<String, RunProgress> runs = new HashMap<>();
    private final ArrayDeque<ObjectNode> logs = new ArrayDeque<>();
    private final ArrayDeque<ObjectNode> outputs = new ArrayDeque<>();
    private String query = "";
    private int round;
    private long updatedMillis;
    private final long createdMillis;
    private long appliedOffset;

    TrackedSession(String id, String source, int maxLogs, long nowMillis) {
        this.id = id;
        this.source = source;
        this.maxLogs = maxLogs;
        this.updatedMillis = nowMillis;
        this.createdMillis = nowMillis;
    }

    long createdMillis() { return createdMillis; }

    String source() { return source; }

    /**
     * Marks the offset of the session stream's event being applied; false if it was applied already (an event read
     * back from the durable history at start and seen live as well is applied once).
     */
    boolean apply(long offset) {
        if (offset <= appliedOffset) return false;
        appliedOffset = offset;
        return true;
    }

    String id() { return id; }

    String query() { return query; }

    long updatedMillis() { return updatedMillis; }

    void touch(long nowMillis) { updatedMillis = Math.max(updatedMillis, nowMillis); }

    /** Sets the query shown for the session (ignored if blank), at most {@value #MAX_QUERY} characters. */
    void query(String q) {
        if (q != null && !q.isBlank()) query = RunLogText.clip(q.strip(), MAX_QUERY);
    }

    /** The progress of an envelope run, created on its first event. */
    RunProgress run(String runId, String agentName) {
        return runs.computeIfAbsent(runId, r -> new RunProgress(r, agentName));
    }

    void endRun(String runId) {
        runs.remove(runId);
    }

    void put(AgentEntry a) {
        if (a.status().active() && agentsActive() == 0) round++;
        Member old = agents.remove(a.agentId());
        agents.put(a.agentId(), new Member(a, round, old == null ? a.timeMillis() : old.startedMillis()));
        if (agents.size() > MAX_AGENTS) evictOneAgent();
    }

    /** The agent's latest status, or null if the session has no such agent. */
    AgentStatus statusOf(String agentId) {
        Member m = agents.get(agentId);
        return m == null ? null : m.agent().status();
    }

    /** The agents of the current round (as {@code active_agents} lists them), oldest update first. */
    List<Member> roundAgents() {
        List<Member> list = new ArrayList<>();
        for (Member m : agents.values()) if (m.round() == round) list.add(m);
        return list;
    }

    /** The status of the most recently updated agent, or null without agents. */
    AgentStatus lastStatus() {
        Member last = last();
        return last == null ? null : last.agent().status();
    }

    /** The most recently updated active agent, or null. */
    AgentEntry latestActive() {
        Member latest = null;
        for (Member m : agents.values()) if (m.agent().status().active()) latest = m;
        return latest == null ? null : latest.agent();
    }

    /** The last {@code n} outputs, oldest first (not copies: read them, never change them). */
    List<ObjectNode> lastOutputs(int n) {
        List<ObjectNode> all = new ArrayList<>(outputs);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /** The last {@code n} log lines, oldest first (not copies). */
    List<ObjectNode> lastLogs(int n) {
        List<ObjectNode> all = new ArrayList<>(logs);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }



    void addLog(ObjectNode line) {
        logs.addLast(line);
        while (logs.size() > maxLogs) logs.removeFirst();
    }

    void addOutput(ObjectNode output) {
        outputs.addLast(output);
        while (outputs.size() > MAX_OUTPUTS) outputs.removeFirst();
    }

    int agentsActive() {
        int n = 0;
        for (Member m : agents.values()) if (m.agent().status().active()) n++;
        return n;
    }

    /** {@code processing} while an agent is active; else the latest agent's status in lower case; {@code idle} without agents. */
    String status() {
        if (agentsActive() > 0) return "processing";
        Member last = last();
        return last == null ? "idle" : lower(last.agent().status());
    }

    /** The entry of {@code active_sessions.data.sessions}. */
    ObjectNode summary() {
        return TrackingJson.NODES.objectNode().put("session_id", id).put("query", query).put("status", status())
                .put("agents_active", agentsActive());
    }

    /** {@code session_state.state}: spec 002's fields, then AgentWire's {@code status} and {@code source}. */
    ObjectNode state() {
        ObjectNode s = TrackingJson.NODES.objectNode().put("session_id", id).put("query", query)
                .put("current_phase", currentPhase()).put("overall_progress", overallProgress());
        ArrayNode active = s.putArray("active_agents");
        for (Member m : agents.values()) if (m.round() == round) active.add(m.agent().toActiveAgent());
        ArrayNode crew = s.putArray("crew_output");
        outputs.forEach(o -> crew.add(o.deepCopy()));
        s.put("status", status()).put("source", source).put("agents_active", agentsActive());
        return s;
    }

    /** A copy of the kept log lines, oldest first. */
    ArrayNode logs() {
        ArrayNode a = TrackingJson.NODES.arrayNode();
        logs.forEach(l -> a.add(l.deepCopy()));
        return a;
    }

    private String currentPhase() {
        Member latestActive = null;
        for (Member m : agents.values()) if (m.agent().status().active()) latestActive = m;
        return latestActive != null ? lower(latestActive.agent().status()) : status();
    }

    int overallProgress() {
        long sum = 0;
        int n = 0;
        for (Member m : agents.values()) {
            if (m.round() == round) {
                sum += m.agent().progress();
                n++;
            }
        }
        return n == 0 ? 0 : (int) Math.round((double) sum / n);
    }

    private Member last() {
        Member last = null;
        for (Member m : agents.values()) last = m;
        return last;
    }

    /** Drops the least recently updated inactive agent (or, if all are active, the least recently updated). */
    private void evictOneAgent() {
        Iterator<Member> it = agents.values().iterator();
        while (it.hasNext()) {
            if (!it.next().agent().status().active()) {
                it.remove();
                return;
            }
        }
        agents.remove(agents.keySet().iterator().next());
    }

    private static String lower(AgentStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
