package io.agentwire.dialect.spi;

/**
 * Where the server really listens, once bound (a configured port 0 becomes the chosen port): for banner lines and
 * the addresses a dialect reports.
 */
public interface Bound {

    /** The bound port of {@code address} ({@link Listener.Address#MAIN} for the HTTP port). */
    int port(Listener.Address address);

    /** The host of the main HTTP port, as configured. */
    String mainHost();

    /** {@code host:port} of {@code address} for a URL ({@code [v6]:port}). */
    default String hostPort(Listener.Address address) {
        String host = address.main() ? mainHost() : address.host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port(address);
    }

    /** Like {@link #hostPort} with a wildcard host shown as {@code localhost} (for "try this" lines). */
    default String localHostPort(Listener.Address address) {
        String host = address.main() ? mainHost() : address.host();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return (wildcard ? "localhost" : host.contains(":") ? "[" + host + "]" : host) + ":" + port(address);
    }
}
