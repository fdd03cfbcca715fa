package io.agentwire.dialect.progress;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;
import io.agentwire.core.AgentWireException;
import io.agentwire.core.ErrorCode;

/** A test agent that plans, then fails with a message meant for clients (as a model that is down would). */
final class FailingAgent implements Agent {
    static final String NAME = "failing";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) {
        ctx.emit("plan.start", JsonNodeFactory.instance.objectNode().put("query", request.text()),
                JsonNodeFactory.instance.objectNode());
        throw new AgentWireException(ErrorCode.UPSTREAM_ERROR, "the model is down");
    }
}
