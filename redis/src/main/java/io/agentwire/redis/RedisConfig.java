package io.agentwire.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of cluster mode on Redis. Immutable and validated.
 *
 * @param uri {@code redis://HOST:PORT} (optionally {@code redis://:PASSWORD@HOST:PORT/DB})
 * @param keyPrefix prefix of every key and channel AgentWire uses, so several clusters can share one Redis
 * @param commandTimeout how long a command may wait for its reply before it fails with BROKER_UNAVAILABLE
 * @param reconnectMin first delay before reconnecting after the connection was lost (doubles up to
 *     {@code reconnectMax})
 * @param reconnectMax longest delay between reconnection attempts
 * @param presenceHeartbeat how often a node rewrites its presence entries and its liveness; they expire after three
 *     heartbeats, so a dead node's connections leave the counts, and its runs are ended, within that time
 */
public record RedisConfig(String uri, String keyPrefix, Duration commandTimeout, Duration reconnectMin,
                          Duration reconnectMax, Duration presenceHeartbeat) {

    public RedisConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a redis:// URI: " + uri);
        }
        if (!"redis".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException("not a redis://HOST:PORT URI: " + uri);
        }
        if (keyPrefix.isBlank() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
            throw new IllegalArgumentException("invalid key prefix '" + keyPrefix + "'");
        }
        positive(commandTimeout, "commandTimeout");
        positive(reconnectMin, "reconnectMin");
        positive(reconnectMax, "reconnectMax");
        positive(presenceHeartbeat, "presenceHeartbeat");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax must be >= reconnectMin");
        }
    }

    /** The defaults for a Redis at {@code uri}. */
    public static RedisConfig of(String uri) {
        return new RedisConfig(uri, "aw", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
    }

    public RedisConfig withKeyPrefix(String prefix) {
        return new RedisConfig(uri, prefix, commandTimeout, reconnectMin, reconnectMax, presenceHeartbeat);
    }

    public RedisConfig withPresenceHeartbeat(Duration d) {
        return new RedisConfig(uri, keyPrefix, commandTimeout, reconnectMin, reconnectMax, d);
    }

    /** {@code HOST:PORT}, for logs (never the password). */
    public String address() {
        URI u = URI.create(uri);
        return u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
}
