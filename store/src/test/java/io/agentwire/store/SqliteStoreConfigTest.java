package io.agentwire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteStoreConfigTest {
    static final Path DIR = Path.of("data");

    @Test
    void defaults() {
        SqliteStoreConfig c = SqliteStoreConfig.defaults(DIR);
        assertThat(c.synchronous()).isEqualTo(SqliteStoreConfig.Synchronous.FULL);
        assertThat(c.maxBatch()).isEqualTo(4096);
        assertThat(c.maxPending()).isEqualTo(100_000);
        assertThat(c.databaseFile()).isEqualTo(DIR.resolve("agentwire.db"));
        assertThat(c.withSynchronous(SqliteStoreConfig.Synchronous.NORMAL).synchronous())
                .isEqualTo(SqliteStoreConfig.Synchronous.NORMAL);
    }

    @Test
    void rejectsBadValuesWithClearMessages() {
        SqliteStoreConfig c = SqliteStoreConfig.defaults(DIR);
        assertThatThrownBy(() -> SqliteStoreConfig.defaults(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataDir");
        assertThatThrownBy(() -> c.withSynchronous(null)).hasMessageContaining("synchronous");
        assertThatThrownBy(() -> c.withMaxBatch(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBatch must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> c.withMaxPending(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPending");
        assertThatThrownBy(() -> c.withBusyTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("busyTimeout");
        assertThatThrownBy(() -> c.withReadConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readConnections");
    }
}
