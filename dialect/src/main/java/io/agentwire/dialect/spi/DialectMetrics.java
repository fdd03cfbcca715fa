package io.agentwire.dialect.spi;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/** Where a dialect registers its metrics (the server's Prometheus registry, {@code /metrics}). */
public interface DialectMetrics {

    /** A value read when scraped, e.g. open connections. {@code name} is dotted: {@code agentwire.rooms.connections}. */
    void gauge(String name, String help, DoubleSupplier value);

    /** A monotonically rising count read when scraped, e.g. events published. */
    void counter(String name, String help, LongSupplier value);
}
