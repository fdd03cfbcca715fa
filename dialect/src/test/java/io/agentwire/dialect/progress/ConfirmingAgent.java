package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;
import java.time.Duration;
import java.util.List;

/** A test agent that always asks the user to confirm (ignoring metadata.confirm) and answers with what it got. */
final class ConfirmingAgent implements Agent {
    static final String NAME = "confirming";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) {
        JsonNode answer = ctx.confirm("confirm_" + request.runId(), "Go ahead?", List.of("approve", "reject"), "reject",
                Duration.ofSeconds(20));
        ctx.emit("agent.final_answer", JsonNodeFactory.instance.objectNode().put("text", "answer: " + answer),
                JsonNodeFactory.instance.objectNode());
    }
}
