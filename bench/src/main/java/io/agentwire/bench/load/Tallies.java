package io.agentwire.bench.load;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a scenario's listeners count, one {@link Tally} per generator event loop: each is touched only on its own loop
 * (no lock, no sharing between loops) and the loops' tallies are merged when read: counts added, the latest event
 * taken, the latency histograms added (same range and precision, so the merged percentiles are those of all
 * samples).
 */
final class Tallies {
    /** One loop's share. */
    static final class Tally {
        long count;
        /** {@code System.nanoTime()} (or the scenario's clock) of the latest event; 0: none. */
        long last;
        final Histogram latency = LoadGen.histogram();

        /** One event at {@code at}, with {@code latencyNanos} (negative: none recorded). */
        void add(long at, long latencyNanos) {
            count++;
            last = at;
            if (latencyNanos >= 0) latency.recordValue(latencyNanos);
        }
    }

    /** The merged tallies of every loop. */
    record Snapshot(long count, long last, Histogram latency) { }

    private final Loader loader;
    private final Tally[] tallies;

    Tallies(Loader loader) {
        this.loader = loader;
        this.tallies = new Tally[loader.loops()];
        for (int i = 0; i < tallies.length; i++) tallies[i] = new Tally();
    }

    /** The tally of {@code c}'s loop: call it on that loop only. */
    Tally of(Conn c) {
        return tallies[loader.loopOf(c)];
    }

    /** The sum of the counts, each read on its loop. */
    long count() {
        return loader.onEveryLoop(i -> tallies[i].count).stream().mapToLong(Long::longValue).sum();
    }

    /** Counts, latest event and latency of every loop, each read on its own loop, merged. */
    Snapshot snapshot() {
        List<Snapshot> parts = loader.onEveryLoop(i -> {
            Tally t = tallies[i];
            return new Snapshot(t.count, t.last, t.latency.copy());
        });
        Histogram merged = LoadGen.histogram();
        long count = 0;
        long last = 0;
        for (Snapshot p : parts) {
            count += p.count();
            last = Math.max(last, p.last());
            merged.add(p.latency());
        }
        return new Snapshot(count, last, merged);
    }

    /** Zeroes every loop's tally, each on its own loop. */
    void reset() {
        loader.onEveryLoop(i -> {
            Tally t = tallies[i];
            t.count = 0;
            t.last = 0;
            t.latency.reset();
            return null;
        });
    }
}
