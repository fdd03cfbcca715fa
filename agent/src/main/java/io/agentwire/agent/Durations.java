package io.agentwire.agent;

import java.time.Duration;
import java.util.Objects;

/** Checks of the durations that config records and calls take. */
public final class Durations {
    private Durations() { }

    /**
     * @return {@code d}
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException ({@code "<name> must be positive, was <d>"}) if it is zero or negative
     */
    public static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + d);
        return d;
    }
}
