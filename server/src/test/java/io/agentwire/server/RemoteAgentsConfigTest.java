package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.agent.remote.RemoteAgentsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentwire.agents.remote}: defaults, environment variables, and refused values named by their key. */
@Tag("integration")
class RemoteAgentsConfigTest {
    @TempDir Path dir;

    @Test
    void defaultsAndEnvironment() throws Exception {
        assertThat(AgentWireConfig.load(null, Map.of(), Map.of("agentwire.dev", true)).remoteAgents())
                .isEqualTo(RemoteAgentsConfig.DEFAULT);
        RemoteAgentsConfig c = TestConfigs.devWithFile(dir, "agentwire.agents.remote.path = /remote\n",
                Map.of("AGENTWIRE_AGENTS_REMOTE_GRACE", "2s", "AGENTWIRE_AGENTS_REMOTE_ENABLED", "false")).remoteAgents();
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.path()).isEqualTo("/remote");
        assertThat(c.enabled()).isFalse();
    }

    @Test
    void badValuesAreRefusedUnderTheirKey() {
        assertThatThrownBy(() -> TestConfigs.devWithFile(dir, "agentwire.agents.remote.grace = 0s\n", Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("agentwire.agents.remote.grace: ");
        assertThatThrownBy(() -> TestConfigs.devWithFile(dir, "agentwire.agents.remote.heartbeat-timeout = 10s\n", Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("heartbeatTimeout");
        // the remote agents' endpoint and the envelope dialect on one path of the HTTP port: refused at start, naming both
        Map<String, Object> flags = TestConfigs.local(dir);
        flags.put("agentwire.dev", true);
        flags.put("agentwire.agents.remote.path", "/ws");
        try (AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, Map.of(), flags))) {
            assertThatThrownBy(s::start).isInstanceOf(StartupException.class)
                    .hasMessageContaining("agentwire.agents.remote").hasMessageContaining("agentwire.envelope")
                    .hasMessageContaining("/ws");
        }
    }
}
