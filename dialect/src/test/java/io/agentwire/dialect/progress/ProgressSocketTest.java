package io.agentwire.dialect.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.DemoAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spec 001 over real sockets with the official socket.io-client, 4.5.4 (the version the document names) and 4.8,
 * against the progress dialect running the scripted demo agent (25 ms steps): connect order, both error strings, a
 * whole turn's order, per-session delivery, recovery (4.8) and re-join (4.5.4), one query per session, the query
 * rate, payload limits, polling and upgrade.
 */
@Tag("integration")
class ProgressSocketTest {
    /** The demo agent's run as agent_event types (docs/progress.md, the mapping of other agents). */
    static final List<String> DEMO = List.of("planning_query", "plan_complete",
            "executing", "executing", "execution_complete", "execution_complete",
            "executing", "executing", "execution_complete", "execution_complete",
            "executing", "executing", "execution_complete", "execution_complete",
            "synthesizing_response", "complete");
    static final int BURST = 3;
    static final int MAX_PROMPT = 100_000;

    @TempDir static Path dir;
    static ProgressHarness server;

    @BeforeAll
    static void start() {
        server = new ProgressHarness(dir, ProgressSettings.TEST.withQueryRate(6, BURST), DemoAgent.NAME, Optional.empty());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> names(JsonNode events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String ev = e.path("event").asText();
            out.add(ev.equals("agent_event") ? "agent_event:" + e.path("payload").path("event_type").asText() : ev);
        }
        return out;
    }

    static List<String> turn(List<String> agentEvents) {
        List<String> out = new ArrayList<>(agentEvents.stream().map(t -> "agent_event:" + t).toList());
        out.addAll(List.of("query_complete", "session_memory", "tool_count"));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"454", "48"})
    void onConnectTheSocketGetsConnectedThenToolCountAndNothingElse(String v) throws Exception {
        JsonNode r = server.js("connectOrder", v, Map.of());
        assertThat(names(r.path("order"))).containsExactly("connect", "connected", "tool_count");
        assertThat(r.path("order").get(1).path("payload").path("data").asText()).isEqualTo("Connected to agent");
        assertThat(r.path("order").get(2).path("payload").path("count").asInt()).isZero(); // no tool registry
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"454", "48"})
    void aQueryWithoutPromptOrSessionIsAnErrorToTheSenderOnlyAndNothingFollows(String v) throws Exception {
        JsonNode r = server.js("errors", v, Map.of());
        assertThat(names(r.path("got"))).containsExactly("error", "error", "error", "error");
        List<String> messages = new ArrayList<>();
        r.path("got").forEach(e -> messages.add(e.path("payload").path("message").asText()));
        assertThat(messages).containsExactly("No prompt provided", "No prompt provided",
                "Please start a new session before sending prompts.", "Please start a new session before sending prompts.");
        assertThat(r.path("other")).isEmpty();
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"454", "48"})
    void aTurnIsAgentEventsThenOneQueryCompleteThenSessionMemoryThenToolCount(String v) throws Exception {
        JsonNode r = server.js("run", v, Map.of());
        String sid = r.path("sid").asText();
        assertThat(names(r.path("first"))).containsExactlyElementsOf(turn(DEMO));
        assertThat(names(r.path("second"))).containsExactlyElementsOf(turn(DEMO));
        JsonNode first = r.path("first");
        JsonNode planning = first.get(0).path("payload");
        assertThat(planning.path("data").path("query").asText()).isEqualTo("Calculate profit margins from data.csv");
        JsonNode qc = first.get(DEMO.size()).path("payload");
        assertThat(qc.path("success").asBoolean()).isTrue();
        assertThat(qc.path("session_id").asText()).isEqualTo(sid);
        assertThat(qc.path("response").asText()).contains("scripted demo");
        assertThat(qc.path("metadata").has("tool_name")).isTrue();
        assertThat(qc.path("metadata").path("synthesized").isBoolean()).isTrue();
        assertThat(qc.path("metadata").path("tool_result").isTextual()).isTrue();
        JsonNode memory = r.path("second").get(DEMO.size() + 1).path("payload");
        assertThat(memory.path("session_id").asText()).isEqualTo(sid);
        JsonNode m = memory.path("messages");
        assertThat(m).hasSize(4);
        for (int k = 0; k < 4; k++) {
            assertThat(m.get(k).path("role").asText()).isEqualTo(k % 2 == 0 ? "user" : "assistant");
            assertThat(m.get(k).path("message_index").asInt()).isEqualTo(k);
            assertThat(m.get(k).path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        }
        assertThat(m.get(0).path("content").asText()).isEqualTo("Calculate profit margins from data.csv");
        assertThat(m.get(2).path("content").asText()).isEqualTo("And the average?");
        assertThat(m.get(3).path("content").asText()).isEqualTo(
                r.path("second").get(DEMO.size()).path("payload").path("response").asText());
        // REST and session_memory agree
        assertThat(r.path("messages").path("body").path("messages")).isEqualTo(m);
        assertThat(r.path("messages").path("body").path("count").asInt()).isEqualTo(4);
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"454", "48"})
    void twoSessionsSeeOnlyTheirOwnStreamsAndAThirdSocketJoiningASeesAs(String v) throws Exception {
        JsonNode r = server.js("isolation", v, Map.of());
        String sa = r.path("sa").asText();
        String sb = r.path("sb").asText();
        assertThat(names(r.path("a"))).containsExactlyElementsOf(turn(DEMO));
        assertThat(names(r.path("b"))).containsExactlyElementsOf(turn(DEMO));
        assertThat(sessionsOf(r.path("a"))).containsOnly(sa);
        assertThat(sessionsOf(r.path("b"))).containsOnly(sb);
        assertThat(r.path("a").toString()).doesNotContain("beta question");
        assertThat(r.path("b").toString()).doesNotContain("alpha question");
        // c: refused (A is busy), then the rest of A's stream, ending with A's result
        List<String> c = names(r.path("c"));
        assertThat(c.get(0)).isEqualTo("error");
        assertThat(r.path("c").get(0).path("payload").path("message").asText()).contains("already running");
        assertThat(c.subList(c.size() - 3, c.size())).containsExactly("query_complete", "session_memory", "tool_count");
        assertThat(c).contains("agent_event:complete");
        assertThat(sessionsOf(r.path("c"))).containsOnly(sa);
    }

    static List<String> sessionsOf(JsonNode events) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("payload").has("session_id")) out.add(e.path("payload").path("session_id").asText());
        }
        return out;
    }

    @Test
    void socketIo48DropsMidRunAndRecoversWithNothingLostOrRepeated() throws Exception {
        JsonNode r = server.js("recover", "48", Map.of());
        assertThat(r.path("reason").asText()).isIn("transport close", "forced close"); // the engine closed under the socket
        assertThat(r.path("recovered").asBoolean()).isTrue();
        assertThat(r.path("sameId").asBoolean()).isTrue();
        assertThat(texts(r.path("reference"))).containsExactlyElementsOf(turn(DEMO));
        assertThat(texts(r.path("got"))).containsExactlyElementsOf(turn(DEMO));
        assertThat(r.path("seenAtDrop").asInt()).isLessThan(DEMO.size());
        assertThat(r.path("greetings").asInt()).isZero(); // the same socket: no second connected / tool_count
    }

    @Test
    void socketIo454GoneMidRunFindsTheTurnInMessagesAndTheMissedResultOnRejoin() throws Exception {
        JsonNode r = server.js("rejoin", "454", Map.of());
        String sid = r.path("sid").asText();
        JsonNode messages = r.path("messages").path("body").path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("content").asText()).isEqualTo("A long question");
        List<String> got = names(r.path("got"));
        assertThat(got.get(0)).isEqualTo("query_complete"); // the missed one, before the new turn
        JsonNode missed = r.path("got").get(0).path("payload");
        assertThat(missed.path("session_id").asText()).isEqualTo(sid);
        assertThat(missed.path("response").asText()).isEqualTo(messages.get(1).path("content").asText());
        assertThat(got.subList(1, got.size())).containsExactlyElementsOf(turn(DEMO));
    }

    @Test
    void aSecondQueryWhileOneRunsOnTheSessionIsRefusedAndTheFirstEndsOnce() throws Exception {
        JsonNode r = server.js("busy", "454", Map.of());
        assertThat(texts(r.path("errors"))).containsExactly(
                "A query is already running in this session; its result will follow.");
        List<String> got = texts(r.path("got"));
        assertThat(got.stream().filter(e -> e.equals("query_complete")).count()).isEqualTo(1);
        assertThat(r.path("messages").path("messages")).hasSize(2); // the refused one was not stored
    }

    @Test
    void queriesBeyondTheSocketsRateAreAnsweredWithError() throws Exception {
        long limited = server.meters.count("agentwire.rate.limited", "dialect", "progress");
        long errors = server.meters.count("agentwire.errors", "dialect", "progress", "code", "RATE_LIMITED");
        JsonNode r = server.js("rate", "48", Map.of("burst", BURST));
        assertThat(r.path("completes").asInt()).isEqualTo(BURST);
        assertThat(texts(r.path("errors"))).singleElement().asString().startsWith("Too many queries");
        // counted before the error is emitted: seen once it arrived
        assertThat(server.meters.count("agentwire.rate.limited", "dialect", "progress")).isEqualTo(limited + 1);
        assertThat(server.meters.count("agentwire.errors", "dialect", "progress", "code", "RATE_LIMITED"))
                .isEqualTo(errors + 1);
    }

    @Test
    void aPromptOverMaxPromptIsAnErrorAndAMessageOverOneMegabyteClosesOnlyThatConnection() throws Exception {
        JsonNode r = server.js("payload", "48", Map.of("maxPrompt", MAX_PROMPT));
        assertThat(texts(r.path("longPrompt"))).singleElement().asString().startsWith("The prompt is too long");
        assertThat(r.path("reason").asText()).isIn("transport close", "transport error");
        assertThat(r.path("stillServing").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "socket.io-client {0}")
    @ValueSource(strings = {"454", "48"})
    void pollingOnlyAndTheWebSocketUpgradeBothCarryATurn(String v) throws Exception {
        JsonNode r = server.js("transports", v, Map.of());
        assertThat(r.path("polling").path("transport").asText()).isEqualTo("polling");
        assertThat(texts(r.path("polling").path("first"))).containsExactlyElementsOf(turn(DEMO));
        assertThat(r.path("upgrade").path("transport").asText()).isEqualTo("websocket");
        assertThat(texts(r.path("upgrade").path("first"))).containsExactlyElementsOf(turn(DEMO));
    }
}
