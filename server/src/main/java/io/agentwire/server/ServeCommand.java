package io.agentwire.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentwire serve}: loads the configuration, starts an {@link AgentWireServer} and runs until the process
 * is told to stop (SIGTERM, SIGINT), then closes it gracefully. Exit codes: 0 after a graceful stop, 2 for a
 * configuration error, 1 when the server can not start.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Start the server and run until SIGTERM or SIGINT.",
        footer = {"%nPrecedence: flags > environment variables > --config file > built-in defaults (reference.conf).",
                "Secrets: AGENTWIRE_JWT_SECRET (required unless --dev). See docs/configuration.md."})
final class ServeCommand implements Callable<Integer> {

    /** Blocks until the server should stop, and stops it. */
    @FunctionalInterface
    interface Lifetime {
        void runUntilStopped(AgentWireServer server) throws InterruptedException;
    }

    /** Until the JVM shuts down: a shutdown hook (SIGTERM, SIGINT) closes the server. */
    static Lifetime untilSignalled() {
        return server -> {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LoggerFactory.getLogger(ServeCommand.class).info("shutdown requested");
                try {
                    server.close();
                } finally {
                    stopped.countDown();
                }
            }, "aw-shutdown"));
            stopped.await();
        };
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON configuration file.")
    Path config;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Interface to listen on (agentwire.http.host, default 0.0.0.0; with --dev 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "HTTP port of /ws, /healthz, /readyz, /metrics (agentwire.http.port, default 8080; "
                    + "0: any free port).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of the embedded store (agentwire.data-dir, default ./data).")
    Path dataDir;

    @Option(names = "--cluster", paramLabel = "redis://HOST:PORT",
            description = "Cluster mode: streams, sessions and presence in this Redis, shared by every node "
                    + "(agentwire.cluster.redis). See docs/cluster.md.")
    String cluster;

    @Option(names = "--dev",
            description = "Development mode: anonymous connections, generated dev-only secrets, loopback only unless --host. "
                    + "Never in production.")
    boolean dev;

    private final Map<String, String> env;
    private final Lifetime lifetime;

    ServeCommand(Map<String, String> env, Lifetime lifetime) {
        this.env = env;
        this.lifetime = lifetime;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        AgentWireConfig cfg;
        try {
            com.typesafe.config.Config resolved = ConfigLoader.load(config, env, flags());
            LogFormat format = LogFormat.of(resolved);
            cfg = ConfigReader.read(resolved);
            format.apply();
        } catch (ConfigurationException e) {
            err.println("agentwire: configuration error: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        AgentWireServer server = new AgentWireServer(cfg);
        try {
            server.start();
        } catch (StartupException e) {
            err.println("agentwire: can not start: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        lifetime.runUntilStopped(server);
        return Main.EXIT_OK;
    }

    /** The flags that were given, as configuration keys. */
    Map<String, Object> flags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (host != null) flags.put("agentwire.http.host", host);
        if (port != null) flags.put("agentwire.http.port", port);
        if (dataDir != null) flags.put("agentwire.data-dir", dataDir.toString());
        if (dev) flags.put("agentwire.dev", true);
        if (cluster != null) flags.put("agentwire.cluster.redis", cluster);
        return flags;
    }
}
