package io.agentwire.server;

import io.agentwire.core.Blocking;
import io.agentwire.transport.HttpHandler;
import io.agentwire.transport.HttpReply;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.agentwire.core.Meters;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The server's meters in Prometheus form: JVM and process binders plus AgentWire's own gauges and counters, served
 * by {@link #handler()} as the Prometheus text format (scraped at the {@code Blocking} boundary, off the event loop).
 */
final class Metrics implements AutoCloseable, Meters, io.agentwire.dialect.spi.DialectMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Micrometer holds a function counter's source weakly: these references keep the suppliers alive. */
    private final List<Supplier<Number>> counterSources = new CopyOnWriteArrayList<>();

    Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** A gauge read at every scrape; {@code value} must be cheap and must not block. */
    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    /** A monotonic counter read at every scrape (Prometheus adds {@code _total}). */
    @Override
    public void gauge(String name, String help, java.util.function.DoubleSupplier value) {
        gauge(name, help, (Supplier<Number>) value::getAsDouble);
    }

    @Override
    public void counter(String name, String help, java.util.function.LongSupplier value) {
        counter(name, help, (Supplier<Number>) value::getAsLong);
    }

    void counter(String name, String description, Supplier<Number> value) {
        counterSources.add(value);
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).register(registry);
    }

    /** A counter handle for the modules (core's {@link Meters}); Prometheus adds {@code _total}. */
    @Override
    public Meters.Counter counter(String name, String description, String... tags) {
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(name).description(description).tags(tags).register(registry);
        return n -> c.increment(n);
    }

    /**
     * A timer handle for the modules: count, sum and a histogram with buckets from 1 ms to 1 h (Prometheus
     * {@code _seconds_bucket}), so quantiles can be computed across nodes.
     */
    @Override
    public Meters.Timer timer(String name, String description, String... tags) {
        io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        return nanos -> t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The current scrape, in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    /** The total of the counter {@code name} over all its tags (0 when none is registered): the console's rates. */
    double total(String name) {
        double sum = 0;
        for (io.micrometer.core.instrument.Counter c : registry.find(name).counters()) sum += c.count();
        for (FunctionCounter c : registry.find(name).functionCounters()) sum += c.count();
        return sum;
    }

    /** {@code GET /metrics}. */
    HttpHandler handler() {
        return request -> Blocking.supply(() -> new HttpReply(200, CONTENT_TYPE,
                scrape().getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
