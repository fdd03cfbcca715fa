package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentwire.redis.RedisConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    private static AgentWireConfig load(Map<String, String> env, Map<String, Object> flags) {
        Map<String, Object> all = new java.util.HashMap<>(flags);
        all.put("agentwire.dev", true);
        return AgentWireConfig.load(null, env, all);
    }

    @Test
    void withoutARedisUriTheServerIsOneNode() {
        assertThat(load(Map.of(), Map.of()).cluster()).isEqualTo(Optional.empty());
        assertThat(load(Map.of("AGENTWIRE_CLUSTER_REDIS", ""), Map.of()).cluster()).isEqualTo(Optional.empty());
    }

    @Test
    void theFlagAndTheEnvironmentTurnClusterModeOn() {
        RedisConfig fromEnv = load(Map.of("AGENTWIRE_CLUSTER_REDIS", "redis://10.0.0.5:6380",
                "AGENTWIRE_CLUSTER_KEY_PREFIX", "prod", "AGENTWIRE_CLUSTER_PRESENCE_HEARTBEAT", "500ms"), Map.of())
                .cluster().orElseThrow();
        assertThat(fromEnv.address()).isEqualTo("10.0.0.5:6380");
        assertThat(fromEnv.keyPrefix()).isEqualTo("prod");
        assertThat(fromEnv.presenceHeartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(fromEnv.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        ServeCommand serve = new ServeCommand(Map.of(), server -> { });
        serve.cluster = "redis://127.0.0.1:7000";
        assertThat(load(Map.of("AGENTWIRE_CLUSTER_REDIS", "redis://10.0.0.5:6380"), serve.flags()).cluster()
                .orElseThrow().address()).isEqualTo("127.0.0.1:7000");
    }

    @Test
    void aBadClusterValueIsRefusedNamingItsKey() {
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_CLUSTER_REDIS", "http://x:1"), Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.cluster.redis");
        assertThatThrownBy(() -> load(Map.of("AGENTWIRE_CLUSTER_REDIS", "redis://x:1",
                "AGENTWIRE_CLUSTER_KEY_PREFIX", "a{b}"), Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("agentwire.cluster");
    }
}
