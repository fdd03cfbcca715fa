package io.agentwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.of("0.0.0.0", 8080);
        assertThat(c.maxFrameBytes()).isEqualTo(1024 * 1024);
        assertThat(c.maxHttpBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(c.writer().maxQueuedMessages()).isEqualTo(10_000);
        assertThat(c.writer().maxQueuedBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.writer().closeGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.withMaxFrameBytes(4096).maxFrameBytes()).isEqualTo(4096);
    }

    @Test
    void serverConfigIsValidated() {
        assertThatThrownBy(() -> ServerConfig.of(" ", 8080))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("host must not be blank");
        assertThatThrownBy(() -> ServerConfig.of("localhost", 70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0..65535, was 70000");
        assertThatThrownBy(() -> ServerConfig.of("localhost", 0).withMaxFrameBytes(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxFrameBytes must be at least 125, was 10");
        assertThatThrownBy(() -> ServerConfig.of("localhost", 0).withMaxHttpBodyBytes(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxHttpBodyBytes must not be negative, was -1");
        assertThatThrownBy(() -> ServerConfig.of("localhost", 0).withWriter(null))
                .isInstanceOf(NullPointerException.class).hasMessage("writer");
    }

    @Test
    void writerLimitsAreValidated() {
        assertThatThrownBy(() -> new WriterLimits(0, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueuedMessages must be at least 1, was 0");
        assertThatThrownBy(() -> new WriterLimits(1, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxQueuedBytes must be at least 1, was 0");
        assertThatThrownBy(() -> new WriterLimits(1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("closeGrace must be positive, was PT0S");
        assertThatThrownBy(() -> new WriterLimits(1, 1, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("closeGrace must be at most 10 minutes, was PT1H");
    }
}
