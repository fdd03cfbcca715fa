package io.agentwire.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.redis.RedisServer;
import io.agentwire.server.AgentWireConfig;
import io.agentwire.server.AgentWireServer;
import io.agentwire.server.JsonSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode end to end: AgentWire servers sharing one real redis-server, envelope clients on different nodes.
 */
@Tag("integration")
class ClusterTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir Path dir;
    private RedisServer redis;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        redis.close();
    }

    private AgentWireServer node(String name, String stepDelay) {
        return node(name, stepDelay, Map.of());
    }

    private AgentWireServer node(String name, String stepDelay, Map<String, Object> more) {
        Map<String, Object> flags = new LinkedHashMap<>(more);
        flags.put("agentwire.dev", true);
        flags.put("agentwire.http.host", "127.0.0.1");
        flags.put("agentwire.http.port", 0);
        flags.put("agentwire.tracking.enabled", false);
        flags.put("agentwire.rooms.port", 0);
        flags.put("agentwire.progress.enabled", false);
        flags.put("agentwire.mesh.enabled", false);
        flags.put("agentwire.data-dir", dir.resolve(name).toString());
        flags.put("agentwire.cluster.redis", redis.uri());
        flags.put("agentwire.agents.demo.step-delay", stepDelay);
        flags.put("agentwire.agents.demo.confirm-plan", false);
        AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, Map.of(), flags));
        toClose.add(s);
        s.start();
        return s;
    }

    private JsonSocket client(AgentWireServer node) throws InterruptedException {
        JsonSocket c = new JsonSocket(URI.create("ws://127.0.0.1:" + node.port() + "/ws"));
        toClose.add(c);
        c.awaitEvent("system.connected");
        return c;
    }

    static List<String> sessionEvents(JsonSocket c) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : c.all) if (n.has("seq")) out.add(n.get("seq").asLong() + " " + n.path("event").asText());
        return out;
    }

    static int readyz(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out: " + what);
            Thread.sleep(20);
        }
    }

    /** A client on {@code node} that follows session {@code sid} from its start. */
    private JsonSocket follower(AgentWireServer node, String sid) throws InterruptedException {
        JsonSocket c = client(node);
        c.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":0}}");
        c.awaitEvent("system.notice");
        return c;
    }

    /** Starts a run of the demo agent in session {@code sid}. */
    static void message(JsonSocket c, String sid, String text) {
        c.send("{\"event\":\"user.message\",\"session_id\":\"" + sid + "\",\"content\":{\"text\":\"" + text + "\"}}");
    }

    static String sessionId(JsonSocket c) throws InterruptedException {
        c.send("{\"event\":\"user.create_session\"}");
        return c.awaitEvent("agent.session_created").path("content").path("session_id").asText();
    }

    @Test
    void clientsOnTwoNodesInTheSameSessionSeeTheSameEventsInTheSameOrder() throws Exception {
        AgentWireServer a = node("a", "5ms");
        AgentWireServer b = node("b", "5ms");
        JsonSocket onA = client(a);
        String sid = sessionId(onA);
        JsonSocket onB = follower(b, sid);
        message(onA, sid, "first");
        onA.awaitEvent("pipeline.completed");
        onB.awaitEvent("pipeline.completed");
        // a second run started from the other node
        message(onB, sid, "second");
        onA.awaitEvent("pipeline.completed");
        onB.awaitEvent("pipeline.completed");
        List<String> seenOnA = sessionEvents(onA);
        List<String> seenOnB = sessionEvents(onB);
        assertThat(seenOnA).hasSizeGreaterThan(10);
        assertThat(seenOnB).isEqualTo(seenOnA);
        for (int i = 0; i < seenOnA.size(); i++) assertThat(seenOnA.get(i)).startsWith((i + 1) + " ");
    }

    @Test
    void readinessFollowsRedisAndPublishingFailsClearlyWhileItIsDown() throws Exception {
        AgentWireServer a = node("a", "5ms");
        AgentWireServer b = node("b", "5ms");
        assertThat(readyz(a.port())).isEqualTo(200);
        JsonSocket onA = client(a);
        String sid = sessionId(onA);
        JsonSocket onB = follower(b, sid);

        redis.kill();
        await(() -> status(a) == 503 && status(b) == 503, "both nodes not ready");
        // the node's subscribers are told: their connections close so the clients resume (1011)
        assertThat(onB.closed.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1011);
        JsonSocket again = client(a);
        again.send("{\"event\":\"user.reconnect\",\"session_id\":\"" + sid + "\",\"content\":{\"last_seq\":0}}");
        JsonNode error = again.awaitEvent("system.error");
        assertThat(error.path("metadata").path("code").asText()).isEqualTo("STORE_UNAVAILABLE");

        redis.restart();
        await(() -> status(a) == 200 && status(b) == 200, "both nodes ready again");
        JsonSocket resumed = follower(b, sid);
        message(resumed, sid, "after");
        resumed.awaitEvent("pipeline.completed");
        List<String> events = sessionEvents(resumed);
        assertThat(events).anyMatch(e -> e.endsWith(" pipeline.completed"));
        for (int i = 0; i < events.size(); i++) assertThat(events.get(i)).startsWith((i + 1) + " ");
    }

    @Test
    void redisKilledMidRunLosesNoEventAnyClientSawAndTheClientsAreTold() throws Exception {
        AgentWireServer a = node("a", "30ms");
        AgentWireServer b = node("b", "30ms");
        JsonSocket onA = client(a);
        String sid = sessionId(onA);
        JsonSocket onB = follower(b, sid);
        message(onA, sid, "long");
        await(() -> sessionEvents(onB).size() >= 4, "the run is streaming");

        redis.kill(); // mid-run
        assertThat(onA.closed.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1011);
        assertThat(onB.closed.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1011);
        Map<Long, String> seen = new java.util.TreeMap<>(ClusterKillTest.events(onA));
        ClusterKillTest.events(onB).forEach((seq, event) -> {
            String before = seen.putIfAbsent(seq, event);
            if (before != null) assertThat(event).as("seq " + seq + " is the same event on both nodes").isEqualTo(before);
        });

        redis.restart();
        await(() -> status(a) == 200 && status(b) == 200, "both nodes ready again");
        JsonSocket after = follower(b, sid);
        Map<Long, String> history = ClusterKillTest.events(after);
        for (Map.Entry<Long, String> e : seen.entrySet()) {
            assertThat(history.get(e.getKey())).as("event " + e.getKey() + " survived Redis' restart").isEqualTo(e.getValue());
        }
        List<Long> seqs = new ArrayList<>(history.keySet());
        for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).isEqualTo(i + 1L);
    }

    @Test
    void aNodeStartedWhileRedisIsDownBecomesReadyByItselfWhenRedisComesUp() throws Exception {
        redis.kill();
        AgentWireServer a = node("a", "5ms", Map.of("agentwire.cluster.command-timeout", "500ms",
                "agentwire.cluster.reconnect-max-delay", "500ms"));
        assertThat(readyz(a.port())).isEqualTo(503);
        redis.restart();
        await(() -> status(a) == 200, "ready once Redis is up");
        JsonSocket c = client(a);
        String sid = sessionId(c);
        message(c, sid, "late");
        c.awaitEvent("pipeline.completed");
    }

    private static int status(AgentWireServer s) {
        try {
            return readyz(s.port());
        } catch (Exception e) {
            return -1;
        }
    }
}
