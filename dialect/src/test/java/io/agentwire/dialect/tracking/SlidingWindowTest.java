package io.agentwire.dialect.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final long minute = TimeUnit.SECONDS.toNanos(60);

    @Test
    void atMostTheLimitWithinAnyWindow() {
        SlidingWindow w = new SlidingWindow(60, minute, now::get);
        for (int i = 0; i < 60; i++) {
            assertThat(w.tryAcquire()).as("message %d", i).isTrue();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // 60 messages over 30 s
        }
        assertThat(w.tryAcquire()).isFalse();
        assertThat(w.retryAfterMillis()).isEqualTo(30_000); // the first leaves the window 60 s after it came
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertThat(w.retryAfterMillis()).isZero();
        assertThat(w.tryAcquire()).isTrue();   // the first one left the window
        assertThat(w.tryAcquire()).isFalse();  // the second is still in it (499 ms to go)
        assertThat(w.retryAfterMillis()).isEqualTo(500);
    }

    @Test
    void refusedMessagesDoNotCount() {
        SlidingWindow w = new SlidingWindow(2, minute, now::get);
        assertThat(w.tryAcquire()).isTrue();
        assertThat(w.tryAcquire()).isTrue();
        for (int i = 0; i < 100; i++) assertThat(w.tryAcquire()).isFalse();
        now.addAndGet(minute);
        assertThat(w.tryAcquire()).isTrue();
        assertThat(w.tryAcquire()).isTrue();
        assertThat(w.tryAcquire()).isFalse();
    }
}
