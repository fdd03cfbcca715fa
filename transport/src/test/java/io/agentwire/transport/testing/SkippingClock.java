package io.agentwire.transport.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system UTC clock plus an offset a test moves forward: for a real server (whose other timers keep real time)
 * in which the time some logic reads must "pass" without the test sleeping. Thread-safe.
 */
public final class SkippingClock extends Clock {
    private final AtomicLong offsetNanos = new AtomicLong();

    /** Moves this clock {@code d} ahead of the system's. */
    public void skip(Duration d) {
        offsetNanos.addAndGet(d.toNanos());
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return new SuppliedClock(zone, this::instant); }
    @Override public Instant instant() { return Instant.now().plusNanos(offsetNanos.get()); }
}
