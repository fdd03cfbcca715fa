package io.agentwire.dialect.spi;

import io.agentwire.transport.Routes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One address a dialect serves and what it answers there. Listeners of several dialects on the same host and port
 * share one server when the paths they register do not overlap; the shared server takes the largest frame and body
 * limits, and each dialect still enforces its own message limit.
 *
 * @param address where: the main HTTP port ({@link Address#MAIN}) or a host and port of the dialect's own
 * @param maxFrameBytes the largest WebSocket frame / message on this listener
 * @param maxHttpBodyBytes the largest HTTP request body on this listener
 * @param routes adds the dialect's routes (WebSocket endpoints, Socket.IO, HTTP) to the listener's table
 */
public record Listener(Address address, int maxFrameBytes, int maxHttpBodyBytes, Consumer<Routes.Builder> routes) {

    public Listener {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(routes, "routes");
        if (maxFrameBytes < 125) throw new IllegalArgumentException("maxFrameBytes must be at least 125, was " + maxFrameBytes);
        if (maxHttpBodyBytes < 0) throw new IllegalArgumentException("maxHttpBodyBytes must not be negative");
    }

    /**
     * A host and port; {@link #MAIN} is the server's HTTP listener ({@code agentwire.http.host/port}) with its
     * health, metrics and API routes. Port 0 picks a free port (see {@link Bound}).
     */
    public record Address(String host, int port) {
        /** The main HTTP port. */
        public static final Address MAIN = new Address("<main>", -1);

        public Address {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
            if (port < -1 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }

        public boolean main() {
            return equals(MAIN);
        }

        @Override
        public String toString() {
            return main() ? "the HTTP port" : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
