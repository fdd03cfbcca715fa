package io.agentwire.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A NettyServer on 127.0.0.1, an ephemeral port, and JDK clients for it. */
final class TestServer implements AutoCloseable {
    final NettyServer server;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(Transport transport, ServerConfig config, Routes routes) {
        server = new NettyServer(transport, config, routes);
        port = server.start();
    }

    static ServerConfig config() {
        return ServerConfig.of("127.0.0.1", 0);
    }

    URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    WebSocket connect(String pathAndQuery, WebSocket.Listener listener) throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), listener)
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
