package io.agentwire.server;

import io.agentwire.transport.Transport;
import io.agentwire.transport.engineio.EngineIoEchoServer;
import io.agentwire.transport.socketio.EchoServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwire echo}: the Socket.IO echo server that behaves like the reference server of the official
 * socket.io-protocol test suite (pingInterval 300, pingTimeout 200, maxPayload 1e6, namespaces {@code /} and
 * {@code /custom}), so a conformance suite can be pointed at it; with {@code --engine-io}, the plain Engine.IO echo
 * server of the engine.io-protocol suite at {@code /engine.io/}. See docs/socketio.md.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Run the Socket.IO echo server of the socket.io-protocol test suite (path /socket.io/), or with "
                + "--engine-io the Engine.IO echo server of the engine.io-protocol suite (path /engine.io/).")
final class EchoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int port;

    @Option(names = "--engine-io", description = "Plain Engine.IO at /engine.io/ (every message sent back), for the "
            + "engine.io-protocol suite, instead of Socket.IO.")
    boolean engineIo;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            spec.commandLine().getErr().println("agentwire: --port must be between 0 and 65535, was " + port);
            return Main.EXIT_USAGE;
        }
        Transport transport = Transport.create();
        AutoCloseable echo;
        int bound;
        try {
            if (engineIo) {
                EngineIoEchoServer e = EngineIoEchoServer.start(transport, host, port);
                echo = e;
                bound = e.port();
            } else {
                EchoServer e = EchoServer.start(transport, host, port);
                echo = e;
                bound = e.port();
            }
        } catch (RuntimeException e) {
            transport.close();
            spec.commandLine().getErr().println("agentwire: could not start the echo server on " + host + ":" + port + ": " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println((engineIo ? "Engine.IO" : "Socket.IO") + " echo server listening on http://"
                + host + ":" + bound + (engineIo ? "/engine.io/" : "/socket.io/"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                echo.close();
            } catch (Exception e) {
                spec.commandLine().getErr().println("agentwire: closing the echo server failed: " + e);
            }
            transport.close();
            stopped.countDown();
        }, "echo-shutdown"));
        stopped.await();
        return Main.EXIT_OK;
    }
}
