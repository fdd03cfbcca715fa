package io.agentwire.server;

import io.agentwire.dialect.tracking.TrackingProvider;
import io.agentwire.dialect.rooms.RoomsProvider;
import io.agentwire.dialect.envelope.EnvelopeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Configurations for tests: loopback, ephemeral ports (HTTP; tracking and rooms), a temporary data directory. */
final class TestConfigs {
    static final String SECRET = "test-secret-0123456789abcdef-0123456789";

    private TestConfigs() { }

    static Map<String, Object> local(Path dataDir) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("agentwire.http.host", "127.0.0.1");
        flags.put("agentwire.http.port", 0);
        flags.put("agentwire.data-dir", dataDir.toString());
        flags.put("agentwire.tracking.port", 0); // never the documented 8000 in tests: a free port each
        flags.put("agentwire.rooms.port", 0);
        // never the documented 5001 in tests; off, since port 0 is the ephemeral port rooms serves /socket.io/ on
        // (ProgressServerTest turns it on with rooms off)
        flags.put("agentwire.progress.enabled", false);
        flags.put("agentwire.mesh.enabled", false); // port 0 would share rooms' listener and /socket.io/: MeshServerTest
        return flags;
    }

    /** Production mode with {@link #SECRET}. */
    static AgentWireConfig production(Path dataDir) {
        return AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", SECRET), local(dataDir));
    }

    /** Production mode with {@link #SECRET} and the HTTP API key {@code apiKey}, plus {@code more} flags. */
    static AgentWireConfig production(Path dataDir, String apiKey, Map<String, Object> more) {
        Map<String, Object> flags = local(dataDir);
        flags.putAll(more);
        return AgentWireConfig.load(null, Map.of("AGENTWIRE_JWT_SECRET", SECRET, "AGENTWIRE_API_KEY", apiKey), flags);
    }

    /** Dev mode, no secrets configured. */
    static AgentWireConfig dev(Path dataDir) {
        Map<String, Object> flags = local(dataDir);
        flags.put("agentwire.dev", true);
        return AgentWireConfig.load(null, Map.of(), flags);
    }

    static EnvelopeConfig envelope(AgentWireConfig c) {
        return c.dialect("envelope", EnvelopeConfig.class);
    }

    static TrackingProvider.TrackingSettings tracking(AgentWireConfig c) {
        return c.dialect("tracking", TrackingProvider.TrackingSettings.class);
    }

    static RoomsProvider.RoomsSettings rooms(AgentWireConfig c) {
        return c.dialect("rooms", RoomsProvider.RoomsSettings.class);
    }

    static Path file(Path dir, String hocon) throws IOException {
        return Files.writeString(dir.resolve("agentwire.conf"), hocon);
    }

    /** Loads in dev mode (so no secret is needed) with {@code hocon} as the --config file. */
    static AgentWireConfig devWithFile(Path dir, String hocon, Map<String, String> env) throws IOException {
        return AgentWireConfig.load(file(dir, hocon), env, Map.of("agentwire.dev", true));
    }
}
