package io.agentwire.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.agentwire.server.AgentWireConfig;
import io.agentwire.server.AgentWireServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real AgentWire server, in-process on an ephemeral loopback port, in production mode (a JWT is required):
 * the demo agent steps every 60 ms, heartbeats every 500 ms with a 3 s timeout, so drops are noticed quickly.
 */
final class TestServer implements AutoCloseable {
    static final String SECRET = "client-test-secret-0123456789abcdef-0123";

    private final AgentWireServer server;
    final int port;

    TestServer(Path dataDir) {
        this(dataDir, null, Map.of());
    }

    /** With {@code apiKey} (or {@code null}) as {@code agentwire.auth.api-key}, which remote agents need. */
    TestServer(Path dataDir, String apiKey) {
        this(dataDir, apiKey, Map.of());
    }

    /** With more configuration {@code flags} (e.g. a small {@code agentwire.history.size}). */
    TestServer(Path dataDir, String apiKey, Map<String, Object> more) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("agentwire.http.host", "127.0.0.1");
        flags.put("agentwire.http.port", 0);
        flags.put("agentwire.data-dir", dataDir.toString());
        flags.put("agentwire.tracking.port", 0);
        flags.put("agentwire.rooms.port", 0);
        // The clients need only the envelope endpoint: the progress and mesh dialects (documented ports 5001 and
        // 3001; port 0 would share rooms' /socket.io/) stay off, so several test servers can run side by side.
        flags.put("agentwire.progress.enabled", false);
        flags.put("agentwire.mesh.enabled", false);
        flags.put("agentwire.agents.demo.step-delay", "60ms");
        flags.put("agentwire.envelope.heartbeat-interval", "500ms");
        flags.put("agentwire.envelope.heartbeat-timeout", "3s");
        flags.putAll(more);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENTWIRE_JWT_SECRET", SECRET);
        if (apiKey != null) env.put("AGENTWIRE_API_KEY", apiKey);
        server = new AgentWireServer(AgentWireConfig.load(null, env, flags));
        port = server.start();
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** An HS256 token for {@code sub}, valid for an hour. */
    static String token(String sub) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600))).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
