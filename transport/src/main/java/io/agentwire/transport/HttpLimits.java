package io.agentwire.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What one listener allows a client before it answers or hangs up (docs/limits.md). The timeouts are checked by
 * one sweep per listener ({@link ConnectionGuard}), not by a timer per connection.
 *
 * @param idleTimeout a connection that has not started a request this long after it opened or after its last
 *     reply is closed (no reply: nothing was asked)
 * @param headerTimeout the request line and headers must arrive within this, counted from the request's first byte;
 *     else 408 and close
 * @param bodyTimeout the announced body must arrive within this, counted from the end of the headers; else 408 and
 *     close
 * @param maxConnections open connections (HTTP and WebSocket) of the listener; one more is answered 503 and closed
 * @param maxConnectionsPerPrincipal WebSocket connections of one authenticated principal on the listener (the
 *     anonymous principal is not counted); one more is refused with 429 before the upgrade
 * @param apiPerSecond requests per second one client address may make to the HTTP API (paths under {@code /api/}),
 *     sustained; beyond it 429 with {@code retry-after}. 0 turns the limit off
 * @param apiBurst requests one client address may make to the HTTP API at once (the token bucket's size)
 */
public record HttpLimits(Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxConnections,
                         int maxConnectionsPerPrincipal, double apiPerSecond, int apiBurst) {
    public static final HttpLimits DEFAULTS = new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(30), 10_000, 100, 200, 400);

    public HttpLimits {
        positive(idleTimeout, "idleTimeout");
        positive(headerTimeout, "headerTimeout");
        positive(bodyTimeout, "bodyTimeout");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        if (maxConnectionsPerPrincipal < 1) {
            throw new IllegalArgumentException("maxConnectionsPerPrincipal must be at least 1, was "
                    + maxConnectionsPerPrincipal);
        }
        if (apiPerSecond < 0 || Double.isNaN(apiPerSecond)) {
            throw new IllegalArgumentException("apiPerSecond must not be negative, was " + apiPerSecond);
        }
        if (apiBurst < 1) throw new IllegalArgumentException("apiBurst must be at least 1, was " + apiBurst);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, was " + d);
    }

    public HttpLimits withTimeouts(Duration idle, Duration header, Duration body) {
        return new HttpLimits(idle, header, body, maxConnections, maxConnectionsPerPrincipal, apiPerSecond, apiBurst);
    }

    public HttpLimits withMaxConnections(int perListener, int perPrincipal) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyTimeout, perListener, perPrincipal, apiPerSecond, apiBurst);
    }

    public HttpLimits withApiRate(double perSecond, int burst) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyTimeout, maxConnections, maxConnectionsPerPrincipal,
                perSecond, burst);
    }

    /** How often the sweep looks: a quarter of the shortest timeout, between 50 ms and 1 s. */
    Duration sweepEvery() {
        long shortest = Math.min(idleTimeout.toMillis(), Math.min(headerTimeout.toMillis(), bodyTimeout.toMillis()));
        return Duration.ofMillis(Math.max(50, Math.min(1_000, shortest / 4)));
    }
}
