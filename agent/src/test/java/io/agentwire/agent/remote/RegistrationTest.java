package io.agentwire.agent.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentwire.agent.RunRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A remote agent's registration and its runs, without sockets. */
class RegistrationTest {

    /** What the server sent to one agent connection. */
    private static final class Link implements AgentLink {
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Override public String id() { return "link-1"; }

        @Override public boolean send(String text) {
            sent.add(text);
            return true;
        }

        JsonNode last() throws Exception {
            return AgentWire.JSON.readTree(sent.get(sent.size() - 1));
        }
    }

    @Test
    void aRunEndResentWhileTheRunsThreadFinishesIsAnsweredWhenTheRunDetaches() throws Exception {
        RemoteAgents owner = new RemoteAgents(RemoteAgentsConfig.DEFAULT, Set.of());
        Registration registration = new Registration("raw", owner, null);
        Link link = new Link();
        assertThat(registration.claim(link, new Inbound.Register("raw", List.of(), null, List.of()))).isTrue();
        RemoteRun run = new RemoteRun(new RunRequest("sess_1", "run_1", "raw", null, "hi", List.of(), null));
        assertThat(registration.attach(run)).isTrue();
        Inbound.End end = new Inbound.End("run_1", 5, "completed", AgentWire.JSON.createObjectNode());

        // the run's thread has taken the first run.end and acked it; the agent resends it before the run detaches
        registration.deliver(end, link);
        int before = link.sent.size();
        registration.detach(run, new Registration.Ended("completed", 5, 3L), true);

        assertThat(link.sent).hasSize(before + 1); // without the drain the resent run.end was never answered
        JsonNode ack = link.last();
        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(ack.path("run_id").asText()).isEqualTo("run_1");
        assertThat(ack.path("n").asLong()).isEqualTo(5);
        assertThat(ack.path("seq").asLong()).isEqualTo(3);

        registration.deliver(end, link); // and once more after it: answered the same way, from the ended runs
        assertThat(link.last()).isEqualTo(ack);
    }
}
