package io.agentwire.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets a server runs with. In dev mode a missing JWT secret or API key is generated (random, valid for this
 * run only) and, when the secret was generated, a sample token for user {@code dev} is minted so a client can
 * connect at once. Outside dev mode the configured ones are used as they are (the config guarantees a secret or a
 * JWKS).
 *
 * @param jwtSecret the HS256 secret in use; empty only outside dev mode with a JWKS and no secret
 * @param apiKey the HTTP API key in use, if any
 * @param generatedSecret whether {@code jwtSecret} was generated for this run
 * @param generatedApiKey whether {@code apiKey} was generated for this run
 * @param sampleToken a token for user {@code dev}, only when the secret was generated
 * @param sampleTokenExpiry when the sample token expires
 */
record DevCredentials(Optional<String> jwtSecret, Optional<String> apiKey, boolean generatedSecret, boolean generatedApiKey,
                      Optional<String> sampleToken, Optional<Instant> sampleTokenExpiry) {
    static final String SAMPLE_USER = "dev";
    static final Duration SAMPLE_TOKEN_TTL = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String toString() {
        return "DevCredentials[generatedSecret=" + generatedSecret + ", generatedApiKey=" + generatedApiKey + "]";
    }

    /** The credentials for {@code config}: the configured ones, completed with generated ones in dev mode. */
    static DevCredentials resolve(AgentWireConfig config, Clock clock) {
        AgentWireConfig.Auth auth = config.auth();
        boolean genSecret = config.dev() && auth.jwtSecret().isEmpty();
        boolean genKey = config.dev() && auth.apiKey().isEmpty();
        Optional<String> apiKey = genKey ? Optional.of("awdev_" + random(24)) : auth.apiKey();
        if (!genSecret) {
            return new DevCredentials(auth.jwtSecret(), apiKey, false, genKey, Optional.empty(), Optional.empty());
        }
        String secret = random(32);
        Instant expiry = clock.instant().plus(SAMPLE_TOKEN_TTL).truncatedTo(ChronoUnit.SECONDS);
        String sample = Tokens.hs256(secret, auth, SAMPLE_USER, Map.of("roles", List.of("dev")), clock.instant(), expiry);
        return new DevCredentials(Optional.of(secret), apiKey, true, genKey, Optional.of(sample), Optional.of(expiry));
    }

    /** {@code bytes} random bytes, base64url without padding (43 characters for 32 bytes). */
    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
