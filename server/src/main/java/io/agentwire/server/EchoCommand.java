package io.agentwire.server;

import io.agentwire.transport.Transport;
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
 * {@code /custom}), so a conformance suite can be pointed at it. See docs/socketio.md.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Run the Socket.IO echo server of the socket.io-protocol test suite (path /socket.io/).")
final class EchoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            spec.commandLine().getErr().println("agentwire: --port must be between 0 and 65535, was " + port);
            return Main.EXIT_USAGE;
        }
        Transport transport = Transport.create();
        EchoServer echo;
        try {
            echo = EchoServer.start(transport, host, port);
        } catch (RuntimeException e) {
            transport.close();
            spec.commandLine().getErr().println("agentwire: could not start the echo server on " + host + ":" + port + ": " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        spec.commandLine().getOut().println("Socket.IO echo server listening on http://" + host + ":" + echo.port() + "/socket.io/");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            echo.close();
            transport.close();
            stopped.countDown();
        }, "echo-shutdown"));
        stopped.await();
        return Main.EXIT_OK;
    }
}
