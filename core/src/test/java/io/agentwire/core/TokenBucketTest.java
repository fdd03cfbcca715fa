package io.agentwire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void allowsABurstThenTheRate() {
        AtomicLong nanos = new AtomicLong();
        TokenBucket b = new TokenBucket(10, 5, nanos::get);
        for (int i = 0; i < 5; i++) assertThat(b.tryAcquire()).isTrue();
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.retryAfterMillis()).isEqualTo(100);
        nanos.addAndGet(50_000_000);
        assertThat(b.tryAcquire()).isFalse();
        assertThat(b.retryAfterMillis()).isEqualTo(50);
        nanos.addAndGet(50_000_000);
        assertThat(b.tryAcquire()).isTrue();
        nanos.addAndGet(10_000_000_000L);
        int granted = 0;
        while (b.tryAcquire()) granted++;
        assertThat(granted).isEqualTo(5); // never more than the burst
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> new TokenBucket(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
