package io.agentwire.dialect.mesh;

import io.agentwire.dialect.spi.Dialect;
import io.agentwire.dialect.spi.DialectCommand;
import io.agentwire.dialect.spi.DialectContext;
import io.agentwire.dialect.spi.DialectProvider;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.dialect.spi.SocketIoSettings;
import io.agentwire.transport.engineio.EngineIoConfig;
import io.agentwire.transport.socketio.SocketIoConfig;
import java.util.List;

/** The {@code mesh} dialect (spec 003, MXF): its section {@code agentwire.mesh}; docs/mesh.md. */
public final class MeshProvider implements DialectProvider<MeshSettings> {

    @Override
    public String name() {
        return "mesh";
    }

    @Override
    public MeshSettings settings(Settings s) {
        SocketIoConfig defaults = SocketIoConfig.DEFAULTS.withName("mesh")
                .withEngineIo(EngineIoConfig.DEFAULTS.withPath("/socket.io/"));
        SocketIoConfig sio = SocketIoSettings.read(s, defaults);
        Listener.Address address = s.address();
        MeshSettings.Limits limits = new MeshSettings.Limits(
                s.integer("rate-limits.messages", 1, 1_000_000), s.integer("rate-limits.tool-executions", 1, 1_000_000),
                s.integer("rate-limits.memory", 1, 1_000_000), s.integer("rate-limits.control-loop-cycles", 1, 1_000_000));
        if (s.duration("control-loops.owner-grace").isNegative()) throw s.refuse("control-loops.owner-grace", "must not be negative");
        if (s.duration("key-ttl").isNegative() || s.duration("key-ttl").isZero()) throw s.refuse("key-ttl", "must be positive");
        if (s.duration("tasks.reassign-after-drop").isNegative()) throw s.refuse("tasks.reassign-after-drop", "must not be negative");
        return new MeshSettings(address, sio, s.optional("domain-key"), s.bool("auto-create-channels"),
                s.duration("key-ttl"), limits, s.integer("tasks.max-per-agent", 1, 10_000), s.optional("mxp.key"),
                s.string("mxp.salt"), s.duration("control-loops.owner-grace"), s.duration("tasks.reassign-after-drop"));
    }

    @Override
    public List<String> durableStreams(MeshSettings settings) {
        return List.of(MeshState.STREAM, Channels.STREAM);
    }

    @Override
    public List<DialectCommand> commands() {
        return List.of(UserAddCommand.command());
    }

    @Override
    public Dialect create(DialectContext context, MeshSettings settings) {
        return new MeshDialect(context, settings);
    }
}
