package io.agentwire.agent;

import io.agentwire.agent.model.FakeOpenAi;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.agent.model.ModelConfig;
import io.agentwire.agent.model.OpenAiChatClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the tests that run agents against a {@link FakeOpenAi}: a fresh fake, sink and runtime per test. */
abstract class FakeModelRuns {
    protected FakeOpenAi fake;
    protected MemorySink sink;
    protected AgentRuntime runtime;

    @BeforeEach
    void startFakeModel() throws Exception {
        fake = new FakeOpenAi();
        sink = new MemorySink();
    }

    @AfterEach
    void stopFakeModel() {
        if (runtime != null) runtime.shutdown(MemorySink.GUARD);
        fake.close();
    }

    static ModelCalls model(ModelConfig config) {
        return new ModelCalls(new OpenAiChatClient(config));
    }
}
