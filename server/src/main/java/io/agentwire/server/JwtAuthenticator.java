package io.agentwire.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Principal;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates connections with HS256-signed JWTs, taken from {@code Authorization: Bearer …} or the {@code token}
 * query parameter. A token is accepted when its signature verifies with the shared secret (HS256 only: {@code alg:
 * none} and every other algorithm are refused), {@code exp} and {@code nbf} hold with {@link #CLOCK_SKEW} of
 * leeway, {@code iss} and {@code aud} match when configured, and {@code sub} is present. The principal is
 * {@code sub}, the roles are the {@code roles} claim (an array of strings), the claims are all of them.
 *
 * <p>No token: {@link Principal#ANONYMOUS} when anonymous connections are allowed (dev mode), else
 * {@code AUTH_MISSING}. A bad token: {@code AUTH_FAILED} with a short reason; the token is never echoed. CPU work
 * only: safe on an event loop.
 */
public final class JwtAuthenticator implements Authenticator {
    /** A shorter HS256 secret is refused (RFC 7518 §3.2: the key must be at least as long as the hash). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Leeway for {@code exp} and {@code nbf} against clock differences between the issuer and this server. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final MACVerifier verifier;
    private final Settings settings;
    private final Clock clock;

    /**
     * @param secret the shared HS256 secret (UTF-8), at least {@link #MIN_SECRET_BYTES} bytes
     * @param issuer the required {@code iss}, if any
     * @param audience the required {@code aud}, if any
     * @param allowAnonymous whether a connection without a token is accepted as {@link Principal#ANONYMOUS}
     */
    public record Settings(String secret, Optional<String> issuer, Optional<String> audience, boolean allowAnonymous) {
        public Settings {
            checkSecret(secret);
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
        }

        @Override
        public String toString() {
            return "Settings[secret=<hidden>, issuer=" + issuer + ", audience=" + audience + ", allowAnonymous="
                    + allowAnonymous + "]";
        }
    }

    public JwtAuthenticator(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.verifier = new MACVerifier(settings.secret().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable jwt secret: " + e.getMessage(), e);
        }
    }

    /** Refuses a secret shorter than {@link #MIN_SECRET_BYTES} (the message never shows the secret). */
    static void checkSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        int n = secret.getBytes(StandardCharsets.UTF_8).length;
        if (n < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("jwt secret must be at least " + MIN_SECRET_BYTES + " bytes, has " + n);
        }
    }

    @Override
    public Result authenticate(Request request) {
        Optional<String> token = request.bearerToken().filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            return settings.allowAnonymous() ? new Accepted(Principal.ANONYMOUS)
                    : new Rejected(ErrorCode.AUTH_MISSING,
                            "a token is required (Authorization: Bearer <jwt>, or the token query parameter)");
        }
        try {
            return new Accepted(verify(token.get()));
        } catch (Refused r) {
            return new Rejected(ErrorCode.AUTH_FAILED, r.getMessage());
        }
    }

    private Principal verify(String token) throws Refused {
        SignedJWT jwt = signed(token);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused("malformed token claims");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp != null && now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) throw new Refused("token expired");
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(CLOCK_SKEW).isBefore(nbf.toInstant())) throw new Refused("token not yet valid");
        if (settings.issuer().isPresent() && !settings.issuer().get().equals(claims.getIssuer())) {
            throw new Refused("wrong issuer");
        }
        if (settings.audience().isPresent() && !claims.getAudience().contains(settings.audience().get())) {
            throw new Refused("wrong audience");
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) throw new Refused("token has no subject (sub)");
        return new Principal(sub, roles(claims.getClaim("roles")), claimsMap(claims), false);
    }

    private SignedJWT signed(String token) throws Refused {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new Refused("malformed token");
        }
        if (jwt instanceof PlainJWT) throw new Refused("unsigned tokens (alg none) are not accepted");
        if (!(jwt instanceof SignedJWT signed)) throw new Refused("encrypted tokens are not accepted");
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!JWSAlgorithm.HS256.equals(alg)) {
            String name = alg != null && alg.getName().matches("[A-Za-z0-9+_-]{1,16}") ? alg.getName() : "?";
            throw new Refused("algorithm " + name + " is not accepted (HS256 only)");
        }
        try {
            if (!signed.verify(verifier)) throw new Refused("bad signature");
        } catch (JOSEException | IllegalStateException e) {
            throw new Refused("bad signature");
        }
        return signed;
    }

    private static Set<String> roles(Object claim) throws Refused {
        if (claim == null) return Set.of();
        if (!(claim instanceof List<?> list)) throw new Refused("the roles claim must be an array of strings");
        Set<String> roles = new LinkedHashSet<>();
        for (Object r : list) {
            if (!(r instanceof String s)) throw new Refused("the roles claim must be an array of strings");
            roles.add(s);
        }
        return roles;
    }

    private static Map<String, Object> claimsMap(JWTClaimsSet claims) {
        Map<String, Object> out = new HashMap<>();
        claims.toJSONObject().forEach((k, v) -> {
            if (v != null) out.put(k, v);
        });
        return out;
    }

    /** A token refused, with the short reason the client gets. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
