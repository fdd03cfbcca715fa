package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void gaugesAndCountersSurviveGarbageCollection() {
        AtomicLong commits = new AtomicLong(7);
        try (Metrics metrics = new Metrics()) {
            metrics.gauge("agentwire.test.gauge", "a gauge", () -> 3);
            metrics.counter("agentwire.test.commits", "a counter", commits::get);
            System.gc();
            commits.set(9);
            assertThat(metrics.scrape())
                    .contains("agentwire_test_gauge 3.0")
                    .contains("agentwire_test_commits_total 9.0")
                    .contains("jvm_threads_live_threads", "process_uptime_seconds", "system_cpu_count");
        }
    }
}
