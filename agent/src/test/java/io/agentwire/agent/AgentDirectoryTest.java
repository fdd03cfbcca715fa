package io.agentwire.agent;

import static io.agentwire.agent.Fixtures.agent;
import static io.agentwire.agent.Fixtures.message;
import static io.agentwire.agent.Fixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.core.AgentGateway.Reply;
import io.agentwire.core.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The runtime's hook for agents registered while it runs (remote agents): names it does not know are looked up. */
class AgentDirectoryTest {
    private final MemorySink sink = new MemorySink();
    private final Map<String, Agent> registered = new ConcurrentHashMap<>();

    private static Agent saying(String name, String text) {
        return agent(name, (r, ctx) -> ctx.emit("agent.final_answer", JsonNodeFactory.instance.objectNode().put("text", text), null));
    }

    @Test
    void unknownNamesAreResolvedThroughTheDirectoryAndFixedAgentsWin() {
        AgentRuntime runtime = new AgentRuntime(sink, List.of(saying("fixed", "fixed")), "fixed",
                AgentRuntimeConfig.defaults());
        try {
            assertThat(runtime.start(message("s1", "dyn", "hi")).code()).isEqualTo(ErrorCode.AGENT_NOT_FOUND);
            runtime.useDirectory(registered::get);
            registered.put("dyn", saying("dyn", "from the directory"));
            registered.put("fixed", saying("fixed", "impostor"));
            String dyn = started(runtime.start(message("s1", "dyn", "hi")));
            String fixed = started(runtime.start(message("s2", "fixed", "hi")));
            assertThat(sink.await(dyn, "pipeline.completed").path("metadata").path("status").asText()).isEqualTo("completed");
            assertThat(sink.events(dyn).get(0).path("content").path("text").asText()).isEqualTo("from the directory");
            sink.await(fixed, "pipeline.completed");
            assertThat(sink.events(fixed).get(0).path("content").path("text").asText()).isEqualTo("fixed");
            registered.remove("dyn");
            Reply gone = runtime.start(message("s1", "dyn", "hi"));
            assertThat(gone.code()).isEqualTo(ErrorCode.AGENT_NOT_FOUND);
        } finally {
            runtime.shutdown(MemorySink.GUARD);
        }
    }
}
