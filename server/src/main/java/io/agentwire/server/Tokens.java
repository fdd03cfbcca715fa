package io.agentwire.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Mints HS256 tokens with the configured secret, for the dev-mode sample token and {@code agentwire token}: subject,
 * issued-at, expiry, the configured {@code iss} and {@code aud}, and extra claims ({@code roles}, {@code projects}).
 */
final class Tokens {
    private Tokens() { }

    /** A token for {@code subject} valid from {@code issuedAt} until {@code expiry}, with {@code claims} added. */
    static String hs256(String secret, AgentWireConfig.Auth auth, String subject, Map<String, List<String>> claims,
                        Instant issuedAt, Instant expiry) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiry));
        claims.forEach(b::claim);
        auth.jwtIssuer().ifPresent(b::issuer);
        auth.jwtAudience().ifPresent(b::audience);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), b.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("can not sign the token", e);
        }
        return jwt.serialize();
    }
}
