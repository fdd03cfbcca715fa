package io.agentwire.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Principal;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates connections with signed JWTs, taken from {@code Authorization: Bearer …} or the {@code token} query
 * parameter (or handed to {@link #check(String)} by a dialect that finds the token elsewhere). A token is accepted
 * when its signature verifies, {@code exp} and {@code nbf} hold with {@link #CLOCK_SKEW} of leeway, {@code iss} and
 * {@code aud} match when configured, every part is canonical unpadded base64url, and {@code sub} is a string that is a
 * {@linkplain Principal#validId valid principal id} (a number is refused). The principal is {@code sub}, the roles are the
 * {@code roles} claim (an array of strings), the claims are all of them.
 *
 * <p>Algorithms: {@code HS256} with the shared secret, when one is configured; {@code RS256} and {@code ES256} with
 * the public keys of the configured JWKS, when there is one (the key is chosen by the token's {@code kid} when it
 * has one, and must fit the algorithm: an RSA key for RS256, a P-256 key for ES256). Everything else is refused:
 * {@code alg: none}, other algorithms, encrypted tokens, HS256 without a secret (so an HS256 token "signed" with a
 * published RSA key can never pass), RS256/ES256 without a JWKS.
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
    /** The algorithms verified with the JWKS. */
    static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final MACVerifier mac;
    private final JWSVerificationKeySelector<SecurityContext> keys;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    private final String accepted;
    private final Settings settings;
    private final Clock clock;

    /**
     * @param secret the shared HS256 secret (UTF-8), at least {@link #MIN_SECRET_BYTES} bytes, if any
     * @param jwks the public keys RS256 and ES256 tokens are verified with, if any (see {@link #checkJwks})
     * @param issuer the required {@code iss}, if any
     * @param audience the required {@code aud}, if any
     * @param allowAnonymous whether a connection without a token is accepted as {@link Principal#ANONYMOUS}
     */
    public record Settings(Optional<String> secret, Optional<JWKSet> jwks, Optional<String> issuer,
                           Optional<String> audience, boolean allowAnonymous) {
        public Settings {
            Objects.requireNonNull(secret, "secret").ifPresent(JwtAuthenticator::checkSecret);
            jwks = Objects.requireNonNull(jwks, "jwks").map(JwtAuthenticator::checkJwks);
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            if (secret.isEmpty() && jwks.isEmpty()) throw new IllegalArgumentException("a JWT secret or a JWKS is needed");
        }

        /** HS256 only, with {@code secret}. */
        public Settings(String secret, Optional<String> issuer, Optional<String> audience, boolean allowAnonymous) {
            this(Optional.of(secret), Optional.empty(), issuer, audience, allowAnonymous);
        }

        @Override
        public String toString() {
            return "Settings[secret=" + secret.map(s -> "<hidden>").orElse("<none>") + ", jwks="
                    + jwks.map(j -> j.getKeys().size() + " keys").orElse("<none>") + ", issuer=" + issuer
                    + ", audience=" + audience + ", allowAnonymous=" + allowAnonymous + "]";
        }
    }

    public JwtAuthenticator(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.mac = settings.secret().isEmpty() ? null
                    : new MACVerifier(settings.secret().get().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable jwt secret: " + e.getMessage(), e);
        }
        this.keys = settings.jwks().map(j -> new JWSVerificationKeySelector<SecurityContext>(JWKS_ALGORITHMS,
                new ImmutableJWKSet<>(j))).orElse(null);
        List<String> algs = new ArrayList<>();
        if (mac != null) algs.add("HS256");
        if (keys != null) algs.addAll(List.of("RS256", "ES256"));
        this.accepted = algs.size() == 1 ? algs.get(0) + " only" : "accepted: " + String.join(", ", algs);
    }

    /** Refuses a secret shorter than {@link #MIN_SECRET_BYTES} (the message never shows the secret). */
    static void checkSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        int n = secret.getBytes(StandardCharsets.UTF_8).length;
        if (n < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("jwt secret must be at least " + MIN_SECRET_BYTES + " bytes, has " + n);
        }
    }

    /**
     * The public part of a JWKS that holds RSA and EC keys only (private parts, if given, are dropped); a JWKS with
     * no key or with a symmetric ({@code oct}) or other key is refused: HS256 uses the configured secret alone.
     */
    static JWKSet checkJwks(JWKSet jwks) {
        Objects.requireNonNull(jwks, "jwks");
        if (jwks.getKeys().isEmpty()) throw new IllegalArgumentException("the JWKS holds no key");
        for (JWK k : jwks.getKeys()) {
            if (!(k instanceof RSAKey) && !(k instanceof ECKey)) {
                throw new IllegalArgumentException("the JWKS may hold RSA and EC public keys only, not "
                        + k.getKeyType() + (k.getKeyID() == null ? "" : " (kid " + k.getKeyID() + ")"));
            }
        }
        return jwks.toPublicJWKSet();
    }

    @Override
    public Result authenticate(Request request) {
        return check(request.bearerToken().orElse(null));
    }

    /** Checks {@code token} (null or blank: no token was given). */
    public Result check(String token) {
        if (token == null || token.isBlank()) {
            return settings.allowAnonymous() ? new Accepted(Principal.ANONYMOUS)
                    : new Rejected(ErrorCode.AUTH_MISSING,
                            "a token is required (Authorization: Bearer <jwt>, or the token query parameter)");
        }
        try {
            return new Accepted(verify(token));
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
        // the raw claim: the parsed claims set turns a numeric sub into a string, which a user id must not come from
        Object sub = rawClaim(jwt, "sub");
        if (sub == null || sub instanceof String s && s.isBlank()) throw new Refused("token has no subject (sub)");
        if (!(sub instanceof String id) || !Principal.validId(id)) throw new Refused(Principal.INVALID_ID);
        return new Principal(id, roles(claims.getClaim("roles")), claimsMap(claims), false);
    }

    private static Object rawClaim(SignedJWT jwt, String name) throws Refused {
        Map<String, Object> json = jwt.getPayload().toJSONObject();
        if (json == null) throw new Refused("malformed token claims");
        return json.get(name);
    }

    /**
     * Each of the three parts is unpadded base64url in its one canonical spelling (RFC 7515 §2: no padding, and
     * the unused bits of the last character zero), so a token has exactly one text: a lenient decoder would take
     * several spellings of one signature.
     */
    static boolean canonical(String token) {
        int parts = 0;
        int from = 0;
        while (from <= token.length()) {
            int dot = token.indexOf('.', from);
            int end = dot < 0 ? token.length() : dot;
            if (!canonicalSegment(token, from, end)) return false;
            parts++;
            if (dot < 0) break;
            from = dot + 1;
        }
        return parts == 3;
    }

    private static boolean canonicalSegment(String s, int from, int end) {
        int n = end - from;
        if (n == 0) return true; // an empty part: the parser says what is wrong (e.g. an unsigned token)
        if (n % 4 == 1) return false;
        int last = 0;
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                    : c >= '0' && c <= '9' ? c - '0' + 52 : c == '-' ? 62 : c == '_' ? 63 : -1;
            if (v < 0) return false;
            last = v;
        }
        int unusedBits = switch (n % 4) { case 2 -> 4; case 3 -> 2; default -> 0; };
        return (last & ((1 << unusedBits) - 1)) == 0;
    }

    private SignedJWT signed(String token) throws Refused {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new Refused("malformed token");
        }
        if (!canonical(token)) throw new Refused("malformed token (each part must be unpadded, canonical base64url)");
        if (jwt instanceof PlainJWT) throw new Refused("unsigned tokens (alg none) are not accepted");
        if (!(jwt instanceof SignedJWT signed)) throw new Refused("encrypted tokens are not accepted");
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        boolean verified;
        if (mac != null && JWSAlgorithm.HS256.equals(alg)) {
            verified = verify(signed, mac);
        } else if (keys != null && JWKS_ALGORITHMS.contains(alg)) {
            verified = verifyWithJwks(signed);
        } else {
            String name = alg != null && alg.getName().matches("[A-Za-z0-9+_-]{1,16}") ? alg.getName() : "?";
            throw new Refused("algorithm " + name + " is not accepted (" + accepted + ")");
        }
        if (!verified) throw new Refused("bad signature");
        return signed;
    }

    /** Tries the JWKS keys that fit the token's header (kid, key type, curve, use); one must verify it. */
    private boolean verifyWithJwks(SignedJWT signed) throws Refused {
        List<? extends Key> candidates;
        try {
            candidates = keys.selectJWSKeys(signed.getHeader(), null);
        } catch (KeySourceException e) {
            throw new Refused("no usable key");
        }
        if (candidates.isEmpty()) {
            throw new Refused(signed.getHeader().getKeyID() == null ? "no key of the JWKS fits the token"
                    : "no key of the JWKS has the token's kid");
        }
        for (Key key : candidates) {
            try {
                if (verify(signed, verifiers.createJWSVerifier(signed.getHeader(), key))) return true;
            } catch (JOSEException e) {
                // a key that can not verify this token: try the next one
            }
        }
        return false;
    }

    private static boolean verify(SignedJWT signed, JWSVerifier verifier) {
        try {
            return signed.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
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
