package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.dialect.spi.TokenVerifier;
import java.util.Optional;

/**
 * The two authentication layers, read from the Socket.IO {@code auth} object only. Layer 1, the domain key, decides
 * whether the socket may connect at all (a refusal is a {@code connect_error} with the real server's message);
 * layer 2 says who it is: a JWT ({@code token}), a user ({@code username} + {@code password}) or an agent key
 * ({@code keyId} + {@code secretKey}). Every comparison is constant-time; no secret is logged or echoed.
 */
final class Credentials {
    static final String NOT_CONFIGURED = "Server authentication not configured";
    static final String REQUIRED = "Authentication required";
    static final String DOMAIN_REQUIRED = "Domain key required for SDK connection";
    static final String INVALID_DOMAIN = "Invalid domain key";
    static final String NO_CREDENTIALS = "Authentication failed - please provide valid JWT token or key credentials";
    private static final String DUMMY_HASH = Passwords.hash("not a password of anyone");

    /** Who a socket is: a user (password, jwt) or an agent key (key). */
    record Identity(String authType, String userId, String username, String agentId, String channelId, String keyId) {
        boolean isKey() {
            return authType.equals("key");
        }
    }

    /** Layer 2's refusal: AUTH_FAILED or INVALID_KEY. */
    record Failure(String code, String message) { }

    private final Optional<String> domainKey;
    private final MeshState state;
    private final TokenVerifier tokens;

    Credentials(Optional<String> domainKey, MeshState state, TokenVerifier tokens) {
        this.domainKey = domainKey;
        this.state = state;
        this.tokens = tokens;
    }

    /** Layer 1: null when the domain key is right, else the connect_error message. */
    String domain(ObjectNode auth) {
        if (domainKey.isEmpty()) return NOT_CONFIGURED;
        if (auth == null || auth.isEmpty()) return REQUIRED;
        String given = Json.text(auth, "domainKey");
        if (given == null || given.isEmpty()) return DOMAIN_REQUIRED;
        return Passwords.same(given, domainKey.get()) ? null : INVALID_DOMAIN;
    }

    /** Layer 2 (may hash a password: never on an event loop): an Identity or a Failure. */
    Object identify(JsonNode auth, long now) {
        String token = Json.text(auth, "token");
        String keyId = Json.text(auth, "keyId");
        String username = Json.text(auth, "username");
        if (keyId != null) return key(keyId, Json.text(auth, "secretKey"), Json.text(auth, "agentId"), now);
        if (username != null) {
            String password = Json.text(auth, "password");
            Optional<MeshState.User> u = state.user(username);
            boolean ok = Passwords.verify(password == null ? "" : password, u.map(MeshState.User::hash).orElse(DUMMY_HASH));
            if (!ok || u.isEmpty() || password == null) return new Failure("AUTH_FAILED", "Authentication failed");
            return new Identity("password", u.get().userId(), username, null, null, null);
        }
        if (token != null) {
            Authenticator.Result r = tokens.check(token);
            if (r instanceof Authenticator.Accepted a && !a.principal().anonymous()) {
                Object claimed = a.principal().claims().get("userId");
                String userId = claimed instanceof String s ? s : a.principal().id();
                Object name = a.principal().claims().get("username");
                return new Identity("jwt", userId, name instanceof String s ? s : userId, null, null, null);
            }
            return new Failure("AUTH_FAILED", "Authentication failed");
        }
        return new Failure("AUTH_FAILED", NO_CREDENTIALS);
    }

    private Object key(String keyId, String secret, String claimedAgent, long now) {
        Optional<MeshState.AgentKey> k = state.key(keyId);
        String digest = Passwords.digest(secret == null ? "" : secret);
        boolean match = Passwords.same(digest, k.map(MeshState.AgentKey::secretDigest).orElse("0".repeat(64)));
        if (k.isEmpty() || secret == null || !match) return new Failure("INVALID_KEY", "Authentication failed");
        if (k.get().revoked()) return new Failure("INVALID_KEY", "Authentication failed: key revoked");
        if (k.get().expiresAt() > 0 && k.get().expiresAt() <= now) {
            return new Failure("INVALID_KEY", "Authentication failed: key expired");
        }
        String agentId = k.get().agentId() != null && !k.get().agentId().isEmpty() ? k.get().agentId() : claimedAgent;
        if (agentId == null || agentId.isBlank()) return new Failure("INVALID_KEY", "Authentication failed: the key names no agent (send auth.agentId)");
        return new Identity("key", null, null, agentId, k.get().channelId(), keyId);
    }
}
