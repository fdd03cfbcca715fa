package io.agentwire.dialect.spi;

import io.agentwire.transport.Routes;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One running dialect, as its {@link DialectProvider} created it: what it serves and how it reports. The server
 * binds the {@link #listeners()} (grouping those on the same host and port into one listener when their paths do
 * not overlap), adds the {@link #api HTTP API} to the main HTTP port, registers the {@link #metrics} and
 * {@link #readiness} checks, logs the {@link #banner} lines, calls {@link #start()} before it accepts clients and
 * {@link #close()} when it stops. The web console shows what {@link #console()} returns.
 */
public interface Dialect extends AutoCloseable {

    /** The addresses the dialect serves, with their routes. May be empty (a dialect with an HTTP API only). */
    List<Listener> listeners();

    /** Adds the dialect's HTTP API to the main HTTP port ({@code agentwire.http}); nothing by default. */
    default void api(Routes.Builder routes) { }

    /** Registers the dialect's metrics ({@code agentwire.<name>.*}); none by default. */
    default void metrics(DialectMetrics metrics) { }

    /** Readiness checks by name, reported by {@code /readyz} (false: 503); none by default. */
    default Map<String, BooleanSupplier> readiness() {
        return Map.of();
    }

    /**
     * The startup banner's lines for this dialect, once its listeners are bound (ports chosen). Dev mode's
     * {@code sampleToken} is the generated token for "try" lines, null otherwise.
     */
    default List<BannerLine> banner(Bound bound, String sampleToken) {
        return List.of();
    }

    /**
     * What the web console shows of this dialect: its connections, rooms or channels and agents (docs/console.md).
     * Nothing by default; a Socket.IO dialect can return {@link SocketIoConsole#of} its namespace.
     */
    default ConsoleView console() {
        return ConsoleView.NONE;
    }

    /**
     * Work before clients are accepted (e.g. loading durable state); may block (the server calls it on its own
     * thread, never an event loop). Throw {@link DialectStartException} to stop the start-up.
     */
    default void start() { }

    /** Closes its connections (1001) and what it opened. Idempotent. */
    @Override
    void close();
}
