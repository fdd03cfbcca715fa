package io.agentwire.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentwire.core.AgentGateway.Reply;
import io.agentwire.core.AgentGateway.RunStart;
import io.agentwire.core.Principal;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the tests. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() { }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RunStart message(String sessionId, String agent, String text) {
        return new RunStart(sessionId, Principal.user("alice"), agent, text, null, null);
    }

    static RunStart messageWith(String sessionId, String text, JsonNode metadata) {
        return new RunStart(sessionId, Principal.user("alice"), null, text, null, metadata);
    }

    static RunStart solve(String sessionId, JsonNode tasks) {
        return new RunStart(sessionId, Principal.user("alice"), null, null, tasks, null);
    }

    /** Starts a run and returns its id, failing if it was refused. */
    static String started(Reply reply) {
        assertThat(reply.accepted()).as("start accepted: %s", reply).isTrue();
        assertThat(reply.runId()).matches("run_[0-9a-f]{12}");
        return reply.runId();
    }

    /** Polls {@code condition} (up to a generous failure guard). */
    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + MemorySink.GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not true within the guard: " + what);
            try {
                Thread.sleep(Duration.ofMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** An agent with a name and a body, for runtime tests. */
    static Agent agent(String name, Body body) {
        return new Agent() {
            @Override public String name() { return name; }
            @Override public void run(RunRequest request, AgentContext ctx) throws Exception { body.run(request, ctx); }
        };
    }

    @FunctionalInterface
    interface Body {
        void run(RunRequest request, AgentContext ctx) throws Exception;
    }
}
