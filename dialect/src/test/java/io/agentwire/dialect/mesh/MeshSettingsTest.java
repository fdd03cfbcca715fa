package io.agentwire.dialect.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.agentwire.dialect.spi.Settings;
import io.agentwire.dialect.spi.SettingsException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mesh section: its documented defaults, and bad values refused naming their key. */
class MeshSettingsTest {

    private static MeshSettings read(Map<String, Object> values) {
        var config = ConfigFactory.parseMap(values)
                .withFallback(ConfigFactory.parseMap(Map.of("agentwire.http.host", "0.0.0.0")))
                .withFallback(ConfigFactory.parseResources(new MeshProvider().referenceConf())).resolve();
        return new MeshProvider().settings(new Settings(config, "agentwire.mesh"));
    }

    @Test
    void defaultsAreTheDocumentsNumbers() {
        MeshSettings s = read(Map.of());
        assertEquals(3001, s.address().port());
        assertEquals("0.0.0.0", s.address().host());
        assertEquals("/socket.io/", s.socketIo().engineIo().path());
        assertEquals(1_000_000, s.socketIo().engineIo().maxPayload()); // "1MB" in HOCON
        assertEquals(new MeshSettings.Limits(100, 30, 200, 10), s.limits());
        assertEquals(Optional.empty(), s.domainKey());
        assertEquals(Optional.empty(), s.mxpKey());
        assertEquals("mxf-default-salt", s.mxpSalt());
        assertEquals(5, s.maxTasksPerAgent());
    }

    @Test
    void badValuesNameTheirKey() {
        for (var bad : Map.of("agentwire.mesh.port", (Object) 70000, "agentwire.mesh.rate-limits.messages", 0,
                "agentwire.mesh.key-ttl", "0s", "agentwire.mesh.tasks.max-per-agent", -1).entrySet()) {
            SettingsException e = assertThrows(SettingsException.class, () -> read(Map.of(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().startsWith(bad.getKey()), e.getMessage());
        }
    }

    @Test
    void passwordsVerifyOnlyTheirOwnSecret() {
        String h = Passwords.hash("correct horse");
        assertTrue(Passwords.verify("correct horse", h));
        assertTrue(!Passwords.verify("correct horsE", h));
        assertTrue(!Passwords.verify("x", "not-a-hash"));
        assertTrue(!h.contains("correct"));
    }
}
