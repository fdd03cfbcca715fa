package io.agentwire.core;

/**
 * Where the modules count what they do, without knowing the metrics library: the server implements it (Micrometer,
 * Prometheus at {@code /metrics}); tests and tools use {@link #NONE}. Handles are created once (at construction of
 * the component that counts) and used on hot paths: they must be cheap and must not block.
 *
 * <p>Names are dotted ({@code agentwire.messages.in}), tags come in key/value pairs ({@code "dialect", "envelope"}).
 */
public interface Meters {
    /** A monotonic count. */
    @FunctionalInterface
    interface Counter {
        void add(long n);

        default void increment() {
            add(1);
        }
    }

    /** A distribution of durations (a histogram with buckets at the server). */
    @FunctionalInterface
    interface Timer {
        void recordNanos(long nanos);
    }

    Counter counter(String name, String description, String... tags);

    Timer timer(String name, String description, String... tags);

    /** Counts nothing. */
    Meters NONE = new Meters() {
        @Override
        public Counter counter(String name, String description, String... tags) {
            return n -> { };
        }

        @Override
        public Timer timer(String name, String description, String... tags) {
            return nanos -> { };
        }
    };
}
