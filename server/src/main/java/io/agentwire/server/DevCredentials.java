package io.agentwire.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The secrets a server runs with. In dev mode a missing JWT secret or API key is generated (random, valid for this
 * run only) and, when the secret was generated, a sample token for user {@code dev} is minted so a client can
 * connect at once. Outside dev mode the configured ones are used as they are (the config guarantees a secret).
 *
 * @param jwtSecret the HS256 secret in use
 * @param apiKey the HTTP API key in use, if any
 * @param generatedSecret whether {@code jwtSecret} was generated for this run
 * @param generatedApiKey whether {@code apiKey} was generated for this run
 * @param sampleToken a token for user {@code dev}, only when the secret was generated
 * @param sampleTokenExpiry when the sample token expires
 */
record DevCredentials(String jwtSecret, Optional<String> apiKey, boolean generatedSecret, boolean generatedApiKey,
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
        String secret = genSecret ? random(32) : auth.jwtSecret().orElseThrow(
                () -> new IllegalStateException("no jwt secret outside dev mode"));
        Optional<String> apiKey = genKey ? Optional.of("awdev_" + random(24)) : auth.apiKey();
        if (!genSecret) return new DevCredentials(secret, apiKey, false, genKey, Optional.empty(), Optional.empty());
        Instant expiry = clock.instant().plus(SAMPLE_TOKEN_TTL).truncatedTo(ChronoUnit.SECONDS);
        return new DevCredentials(secret, apiKey, true, genKey,
                Optional.of(token(secret, SAMPLE_USER, auth, clock.instant(), expiry)), Optional.of(expiry));
    }

    /** An HS256 token for {@code subject} (role {@code dev}, the configured iss and aud) until {@code expiry}. */
    private static String token(String secret, String subject, AgentWireConfig.Auth auth, Instant issuedAt,
                                Instant expiry) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("roles", List.of("dev"))
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiry));
        auth.jwtIssuer().ifPresent(b::issuer);
        auth.jwtAudience().ifPresent(b::audience);
        JWTClaimsSet claims = b.build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("can not sign the sample token", e);
        }
        return jwt.serialize();
    }

    /** {@code bytes} random bytes, base64url without padding (43 characters for 32 bytes). */
    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
