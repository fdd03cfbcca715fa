package io.agentwire.transport;

import java.util.Objects;

/**
 * One listening socket and its limits. {@code port} 0 binds an ephemeral port ({@link NettyServer#start()} returns
 * it). {@code maxFrameBytes} bounds a WebSocket frame and an aggregated WebSocket message (larger: close 1009);
 * {@code maxHttpBodyBytes} bounds an HTTP request body (larger: 413); {@code limits} holds the listener's
 * timeouts, connection limits and API rate limit.
 */
public record ServerConfig(String host, int port, int maxFrameBytes, int maxHttpBodyBytes, WriterLimits writer,
                           HttpLimits limits) {
    public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HTTP_BODY_BYTES = 1024 * 1024;
    /** Control frames carry up to 125 bytes; a smaller limit would reject legal pings and closes. */
    static final int MIN_FRAME_BYTES = 125;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (maxFrameBytes < MIN_FRAME_BYTES) {
            throw new IllegalArgumentException(
                    "maxFrameBytes must be at least " + MIN_FRAME_BYTES + ", was " + maxFrameBytes);
        }
        if (maxHttpBodyBytes < 0) {
            throw new IllegalArgumentException("maxHttpBodyBytes must not be negative, was " + maxHttpBodyBytes);
        }
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(limits, "limits");
    }

    /** {@code host:port} with every limit at its default. */
    public static ServerConfig of(String host, int port) {
        return new ServerConfig(host, port, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HTTP_BODY_BYTES, WriterLimits.DEFAULTS,
                HttpLimits.DEFAULTS);
    }

    public ServerConfig withMaxFrameBytes(int bytes) {
        return new ServerConfig(host, port, bytes, maxHttpBodyBytes, writer, limits);
    }

    public ServerConfig withMaxHttpBodyBytes(int bytes) {
        return new ServerConfig(host, port, maxFrameBytes, bytes, writer, limits);
    }

    public ServerConfig withWriter(WriterLimits limits) {
        return new ServerConfig(host, port, maxFrameBytes, maxHttpBodyBytes, limits, this.limits);
    }

    public ServerConfig withLimits(HttpLimits l) {
        return new ServerConfig(host, port, maxFrameBytes, maxHttpBodyBytes, writer, l);
    }
}
