package io.agentwire.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void runtimeDefaultsAndValidation() {
        AgentRuntimeConfig d = AgentRuntimeConfig.defaults();
        assertThat(d.maxRunsPerSession()).isEqualTo(4);
        assertThat(d.publishTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.withMaxRunsPerSession(1).maxRunsPerSession()).isEqualTo(1);
        assertThatThrownBy(() -> d.withMaxRunsPerSession(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withPublishTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withPublishTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void demoDefaultsAndValidation() {
        DemoAgentConfig d = DemoAgentConfig.defaults();
        assertThat(d.stepDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.confirmPlan()).isTrue();
        assertThat(d.confirmTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(new DemoAgentConfig(Duration.ZERO, false, Duration.ofMillis(1)).stepDelay()).isZero();
        assertThatThrownBy(() -> new DemoAgentConfig(Duration.ofMillis(-1), true, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoAgentConfig(Duration.ZERO, true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DemoAgentConfig(null, true, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
    }
}
