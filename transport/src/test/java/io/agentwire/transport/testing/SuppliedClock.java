package io.agentwire.transport.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Supplier;

/** A clock that reads its instant from a supplier (a test's manual or shifted time), in any zone. */
final class SuppliedClock extends Clock {
    private final ZoneId zone;
    private final Supplier<Instant> now;

    SuppliedClock(ZoneId zone, Supplier<Instant> now) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.now = Objects.requireNonNull(now, "now");
    }

    @Override public ZoneId getZone() { return zone; }
    @Override public Clock withZone(ZoneId z) { return new SuppliedClock(z, now); }
    @Override public Instant instant() { return now.get(); }
}
