package io.agentwire.agent.remote;

import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;

/** A registered remote agent as the runtime sees it: each run is played by a {@link RemoteRunLoop}. */
final class RemoteAgent implements Agent {
    private final Registration registration;
    private final RemoteAgentsConfig config;

    RemoteAgent(Registration registration, RemoteAgentsConfig config) {
        this.registration = registration;
        this.config = config;
    }

    @Override
    public String name() {
        return registration.name;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) {
        new RemoteRunLoop(registration, new RemoteRun(request), ctx, config).play();
    }
}
