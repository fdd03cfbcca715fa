package io.agentwire.dialect.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** While the grants' stream can not be followed (Redis down), attempts back off instead of warning every second. */
class ProjectGrantsBackoffTest {
    @Test
    void theDelayDoublesFromOneSecondUpToFive() {
        assertThat(ProjectGrants.retryDelayMillis(1)).isEqualTo(1_000);
        assertThat(ProjectGrants.retryDelayMillis(2)).isEqualTo(2_000);
        assertThat(ProjectGrants.retryDelayMillis(3)).isEqualTo(4_000);
        assertThat(ProjectGrants.retryDelayMillis(4)).isEqualTo(5_000);
        assertThat(ProjectGrants.retryDelayMillis(1_000)).isEqualTo(5_000);
        assertThat(ProjectGrants.retryDelayMillis(Integer.MAX_VALUE)).isEqualTo(5_000);
    }
}
