package io.agentwire.dialect.envelope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The system UTC clock plus an offset a test moves forward: time "passes" without the test sleeping. */
final class SkippingClock extends Clock {
    private final AtomicLong offsetNanos = new AtomicLong();

    void skip(Duration d) {
        offsetNanos.addAndGet(d.toNanos());
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
    @Override public Instant instant() { return Instant.now().plusNanos(offsetNanos.get()); }
}
