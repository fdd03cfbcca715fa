package io.agentwire.dialect.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** While a state's stream can not be followed (Redis down), attempts back off instead of warning every second. */
class StreamStateBackoffTest {
    @Test
    void theDelayDoublesFromOneSecondUpToFive() {
        assertThat(StreamState.retryDelayMillis(1)).isEqualTo(1_000);
        assertThat(StreamState.retryDelayMillis(2)).isEqualTo(2_000);
        assertThat(StreamState.retryDelayMillis(3)).isEqualTo(4_000);
        assertThat(StreamState.retryDelayMillis(4)).isEqualTo(5_000);
        assertThat(StreamState.retryDelayMillis(1_000)).isEqualTo(5_000);
        assertThat(StreamState.retryDelayMillis(Integer.MAX_VALUE)).isEqualTo(5_000);
    }
}
