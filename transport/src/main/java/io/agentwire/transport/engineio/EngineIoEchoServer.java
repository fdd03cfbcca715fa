package io.agentwire.transport.engineio;

import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;
import io.agentwire.transport.NettyServer;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import io.agentwire.transport.Transport;
import java.time.Duration;

/**
 * The reference server of the official engine.io-protocol test suite, on AgentWire: Engine.IO v4 alone at
 * {@code /engine.io/}, pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1e6, CORS for any origin; every message
 * (text or binary) is sent back as it came. {@code agentwire echo --engine-io} runs it.
 */
public final class EngineIoEchoServer implements AutoCloseable {
    /** The suite's settings. */
    public static final EngineIoConfig CONFIG = EngineIoConfig.DEFAULTS.withPath("/engine.io/")
            .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200)).withMaxPayload(1_000_000)
            .withCors(EngineIoCors.anyOrigin());

    private final EngineIoServer engine;
    private final NettyServer server;
    private final int port;

    private EngineIoEchoServer(Transport transport, String host, int port) {
        engine = new EngineIoServer(CONFIG, request -> new Authenticator.Accepted(Principal.ANONYMOUS),
                EngineIoEchoServer::echo);
        Routes routes = engine.install(Routes.builder()).build();
        server = new NettyServer(transport, ServerConfig.of(host, port).withMaxFrameBytes(CONFIG.maxPayload())
                .withMaxHttpBodyBytes(CONFIG.maxPayload()), routes);
        this.port = server.start();
    }

    /** Starts the echo server on {@code host:port} (0: an ephemeral port). */
    public static EngineIoEchoServer start(Transport transport, String host, int port) {
        return new EngineIoEchoServer(transport, host, port);
    }

    public int port() {
        return port;
    }

    /** Open sessions. */
    public int sessionCount() {
        return engine.sessionCount();
    }

    private static void echo(EngineIoSession session) {
        session.listener(new EngineIoSession.Listener() {
            @Override public void onMessage(String text) { session.send(text); }
            @Override public void onBinary(byte[] data) { session.sendBinary(data); }
            @Override public void onClose(String reason) { }
        });
    }

    @Override
    public void close() {
        engine.close();
        server.close();
    }
}
