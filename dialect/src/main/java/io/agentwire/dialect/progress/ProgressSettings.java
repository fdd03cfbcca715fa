package io.agentwire.dialect.progress;

import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.dialect.spi.SocketIoSettings;
import io.agentwire.transport.socketio.SocketIoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code agentwire.progress} section, read and validated (reference.conf in this package documents each key).
 *
 * @param address where the Socket.IO server, the REST API and the static front end listen
 * @param socketIo Engine.IO / Socket.IO settings (path, max payload, heartbeat, CORS, recovery)
 * @param requireToken whether clients must present a JWT (else anonymous)
 * @param agent the agent queries run, or null for the server's default
 * @param staticDir the front end served at {@code /}, if any (an existing directory, absolute and normalized)
 * @param maxPromptChars the longest prompt accepted
 * @param queriesPerMinute a socket's sustained query rate
 * @param queryBurst a socket's query burst
 * @param memoryMessages the messages {@code session_memory} carries
 */
public record ProgressSettings(Listener.Address address, SocketIoConfig socketIo, boolean requireToken, String agent,
                               Optional<Path> staticDir, int maxPromptChars, int queriesPerMinute, int queryBurst,
                               int memoryMessages) {

    /** Defaults for tests: port 0 on the loopback, no static directory. */
    public static final ProgressSettings TEST = new ProgressSettings(new Listener.Address("127.0.0.1", 0),
            SocketIoConfig.DEFAULTS.withName("progress").withEngineIo(SocketIoConfig.DEFAULTS.engineIo()
                    .withCors(SocketIoSettings.cors(java.util.List.of("*")))),
            false, null, Optional.empty(), 100_000, 30, 5, 10);

    public ProgressSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(socketIo, "socketIo");
        Objects.requireNonNull(staticDir, "staticDir");
        if (maxPromptChars < 1) throw new IllegalArgumentException("maxPromptChars must be positive");
        if (queriesPerMinute < 1 || queryBurst < 1) throw new IllegalArgumentException("query rate must be positive");
        if (memoryMessages < 1) throw new IllegalArgumentException("memoryMessages must be positive");
    }

    public ProgressSettings withStaticDir(Path dir) {
        return new ProgressSettings(address, socketIo, requireToken, agent, Optional.of(dir.toAbsolutePath().normalize()),
                maxPromptChars, queriesPerMinute, queryBurst, memoryMessages);
    }

    public ProgressSettings withQueryRate(int perMinute, int burst) {
        return new ProgressSettings(address, socketIo, requireToken, agent, staticDir, maxPromptChars, perMinute, burst,
                memoryMessages);
    }

    public ProgressSettings withAgent(String name) {
        return new ProgressSettings(address, socketIo, requireToken, name, staticDir, maxPromptChars, queriesPerMinute,
                queryBurst, memoryMessages);
    }

    public ProgressSettings withRequireToken(boolean require) {
        return new ProgressSettings(address, socketIo, require, agent, staticDir, maxPromptChars, queriesPerMinute,
                queryBurst, memoryMessages);
    }

    public ProgressSettings withSocketIo(SocketIoConfig sio) {
        return new ProgressSettings(address, sio, requireToken, agent, staticDir, maxPromptChars, queriesPerMinute,
                queryBurst, memoryMessages);
    }

    /** Reads the section; every problem names its key. */
    static ProgressSettings read(Settings s) {
        String host = s.string("host");
        int port = s.integer("port", 0, 65_535);
        Listener.Address address = s.check("host", () -> new Listener.Address(host, port));
        SocketIoConfig sio = SocketIoSettings.read(s, SocketIoConfig.DEFAULTS.withName("progress"));
        Optional<Path> dir = s.optional("static-dir").map(d -> Path.of(d).toAbsolutePath().normalize());
        if (dir.isPresent() && !Files.isDirectory(dir.get())) throw s.refuse("static-dir", "not a directory");
        String agent = s.optional("agent").orElse(null);
        return s.check("max-prompt", () -> new ProgressSettings(address, sio, s.bool("require-token"), agent, dir,
                s.integer("max-prompt", 1, 10_000_000), s.integer("query-rate-per-minute", 1, 100_000),
                s.integer("query-burst", 1, 10_000), s.integer("memory-messages", 1, 1_000)));
    }
}
