package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.agentwire.core.Authenticator;
import io.agentwire.core.ErrorCode;
import io.agentwire.core.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    private static final String SECRET = TestConfigs.SECRET;
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final JwtAuthenticator production = authenticator(Optional.empty(), Optional.empty(), false);
    private final JwtAuthenticator dev = authenticator(Optional.empty(), Optional.empty(), true);

    private static JwtAuthenticator authenticator(Optional<String> iss, Optional<String> aud, boolean anonymous) {
        return new JwtAuthenticator(new JwtAuthenticator.Settings(SECRET, iss, aud, anonymous), CLOCK);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("alice").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(3600)));
    }

    private static String sign(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String hs256(UnaryOperator<JWTClaimsSet.Builder> edit) throws JOSEException {
        return sign(JWSAlgorithm.HS256, new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), edit.apply(claims()).build());
    }

    private static Authenticator.Request bearer(String token) {
        return new Authenticator.Request("/ws", Map.of("authorization", List.of("Bearer " + token)), Map.of(), "127.0.0.1");
    }

    private static Authenticator.Request query(String token) {
        return new Authenticator.Request("/ws", Map.of(), Map.of("token", List.of(token)), "127.0.0.1");
    }

    private static Authenticator.Request none() {
        return new Authenticator.Request("/ws", Map.of(), Map.of(), "127.0.0.1");
    }

    private static Principal accepted(Authenticator.Result r) {
        assertThat(r).isInstanceOf(Authenticator.Accepted.class);
        return ((Authenticator.Accepted) r).principal();
    }

    private static void rejected(Authenticator.Result r, ErrorCode code, String message) {
        assertThat(r).isEqualTo(new Authenticator.Rejected(code, message));
    }

    @Test
    void aValidTokenInTheHeaderGivesItsSubjectRolesAndClaims() throws JOSEException {
        String token = hs256(b -> b.claim("roles", List.of("admin", "viewer")).claim("team", "blue"));
        Principal p = accepted(production.authenticate(bearer(token)));
        assertThat(p.id()).isEqualTo("alice");
        assertThat(p.anonymous()).isFalse();
        assertThat(p.roles()).isEqualTo(Set.of("admin", "viewer"));
        assertThat(p.claims()).containsEntry("team", "blue").containsEntry("sub", "alice")
                .containsEntry("exp", NOW.plusSeconds(3600).getEpochSecond());
    }

    @Test
    void aValidTokenInTheQueryIsAcceptedToo() throws JOSEException {
        assertThat(accepted(production.authenticate(query(hs256(b -> b)))).id()).isEqualTo("alice");
    }

    @Test
    void expiryAndNotBeforeAllowThirtySecondsOfSkew() throws JOSEException {
        String justExpired = hs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(29))));
        assertThat(accepted(production.authenticate(bearer(justExpired))).id()).isEqualTo("alice");
        String expired = hs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(31))));
        rejected(production.authenticate(bearer(expired)), ErrorCode.AUTH_FAILED, "token expired");

        String almostValid = hs256(b -> b.notBeforeTime(Date.from(NOW.plusSeconds(29))));
        assertThat(accepted(production.authenticate(bearer(almostValid))).id()).isEqualTo("alice");
        String notYet = hs256(b -> b.notBeforeTime(Date.from(NOW.plusSeconds(31))));
        rejected(production.authenticate(bearer(notYet)), ErrorCode.AUTH_FAILED, "token not yet valid");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() throws JOSEException {
        String token = sign(JWSAlgorithm.HS256, new MACSigner("another-secret-0123456789abcdef-0123".getBytes(StandardCharsets.UTF_8)),
                claims().build());
        rejected(production.authenticate(bearer(token)), ErrorCode.AUTH_FAILED, "bad signature");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String token = new PlainJWT(claims().build()).serialize();
        rejected(production.authenticate(bearer(token)), ErrorCode.AUTH_FAILED, "unsigned tokens (alg none) are not accepted");
        rejected(dev.authenticate(bearer(token)), ErrorCode.AUTH_FAILED, "unsigned tokens (alg none) are not accepted");
    }

    @Test
    void aValidHs256SignatureUnderAnAlgNoneHeaderIsRefused() throws JOSEException {
        String[] parts = hs256(b -> b).split("\\.");
        String noneHeader = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String forged = noneHeader + "." + parts[1] + "." + parts[2];
        assertThat(production.authenticate(bearer(forged))).isInstanceOf(Authenticator.Rejected.class);
    }

    @Test
    void otherAlgorithmsAreRefusedEvenWhenTheirSignatureIsValid() throws JOSEException {
        String longSecret = SECRET + SECRET; // HS512 needs 64 bytes: the same secret doubled
        String hs512 = sign(JWSAlgorithm.HS512, new MACSigner(longSecret.getBytes(StandardCharsets.UTF_8)), claims().build());
        rejected(production.authenticate(bearer(hs512)), ErrorCode.AUTH_FAILED, "algorithm HS512 is not accepted (HS256 only)");

        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String rs256 = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa), claims().build());
        rejected(production.authenticate(bearer(rs256)), ErrorCode.AUTH_FAILED, "algorithm RS256 is not accepted (HS256 only)");
    }

    @Test
    void aTokenWithoutSubjectIsRefused() throws JOSEException {
        String token = hs256(b -> b.subject(null));
        rejected(production.authenticate(bearer(token)), ErrorCode.AUTH_FAILED, "token has no subject (sub)");
    }

    @Test
    void aSubjectThatIsNotAUsablePrincipalIdIsRefused() throws JOSEException {
        String reason = "the subject (sub) must be a string of 1 to 256 characters without whitespace or control characters";
        for (String sub : List.of("al ice", "alice\n", "tab\there", "a".repeat(257), "nbsp\u00a0x")) {
            rejected(production.authenticate(bearer(hs256(b -> b.subject(sub)))), ErrorCode.AUTH_FAILED, reason);
        }
        rejected(production.authenticate(bearer(TestTokens.numericSubject())), ErrorCode.AUTH_FAILED, reason);
        assertThat(accepted(production.authenticate(bearer(hs256(b -> b.subject("a".repeat(256)))))).id()).hasSize(256);
    }

    @Test
    void segmentsThatAreNotCanonicalBase64UrlAreRefused() {
        String reason = "malformed token (each part must be unpadded, canonical base64url)";
        rejected(production.authenticate(bearer(TestTokens.nonCanonicalSignature(TestTokens.claims("alice").build()))),
                ErrorCode.AUTH_FAILED, reason);
        rejected(production.authenticate(bearer(TestTokens.paddedPayload())), ErrorCode.AUTH_FAILED, reason);
        assertThat(accepted(production.authenticate(bearer(TestTokens.hs256("alice")))).id()).isEqualTo("alice");
    }

    @Test
    void badRolesAreRefused() throws JOSEException {
        rejected(production.authenticate(bearer(hs256(b -> b.claim("roles", "admin")))), ErrorCode.AUTH_FAILED,
                "the roles claim must be an array of strings");
        rejected(production.authenticate(bearer(hs256(b -> b.claim("roles", List.of(1, 2))))), ErrorCode.AUTH_FAILED,
                "the roles claim must be an array of strings");
    }

    @Test
    void noTokenIsAnonymousInDevModeAndMissingOtherwise() {
        assertThat(accepted(dev.authenticate(none()))).isEqualTo(Principal.ANONYMOUS);
        Authenticator.Result r = production.authenticate(none());
        assertThat(r).isInstanceOf(Authenticator.Rejected.class);
        assertThat(((Authenticator.Rejected) r).code()).isEqualTo(ErrorCode.AUTH_MISSING);
        assertThat(production.authenticate(bearer(" "))).isInstanceOf(Authenticator.Rejected.class);
    }

    @Test
    void devModeStillChecksATokenThatIsGiven() throws JOSEException {
        assertThat(accepted(dev.authenticate(bearer(hs256(b -> b)))).id()).isEqualTo("alice");
        rejected(dev.authenticate(bearer(hs256(b -> b.expirationTime(Date.from(NOW.minusSeconds(60)))))),
                ErrorCode.AUTH_FAILED, "token expired");
    }

    @Test
    void malformedTokensAreRefusedWithoutEchoingThem() {
        String garbage = "not-a-jwt-secret-looking-value";
        Authenticator.Result r = production.authenticate(bearer(garbage));
        rejected(r, ErrorCode.AUTH_FAILED, "malformed token");
        assertThat(r.toString()).doesNotContain(garbage);
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws JOSEException {
        JwtAuthenticator strict = authenticator(Optional.of("https://id.example"), Optional.of("agentwire"), false);
        String good = hs256(b -> b.issuer("https://id.example").audience(List.of("other", "agentwire")));
        assertThat(accepted(strict.authenticate(bearer(good))).id()).isEqualTo("alice");
        rejected(strict.authenticate(bearer(hs256(b -> b.issuer("https://evil").audience("agentwire")))),
                ErrorCode.AUTH_FAILED, "wrong issuer");
        rejected(strict.authenticate(bearer(hs256(b -> b.issuer("https://id.example")))),
                ErrorCode.AUTH_FAILED, "wrong audience");
        rejected(strict.authenticate(bearer(hs256(b -> b.issuer("https://id.example").audience("other")))),
                ErrorCode.AUTH_FAILED, "wrong audience");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new JwtAuthenticator.Settings("too-short", Optional.empty(), Optional.empty(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jwt secret must be at least 32 bytes, has 9");
    }

    @Test
    void settingsNeverShowTheSecret() {
        assertThat(new JwtAuthenticator.Settings(SECRET, Optional.empty(), Optional.empty(), false).toString())
                .doesNotContain(SECRET);
    }

    private static JwtAuthenticator withJwks(boolean secret) {
        try {
            return new JwtAuthenticator(new JwtAuthenticator.Settings(secret ? Optional.of(SECRET) : Optional.empty(),
                    Optional.of(com.nimbusds.jose.jwk.JWKSet.parse(TestTokens.JWKS)), Optional.empty(), Optional.empty(),
                    false), CLOCK);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rs256AndEs256AreVerifiedWithTheJwksKeyTheirKidNames() throws JOSEException {
        JwtAuthenticator both = withJwks(true);
        assertThat(accepted(both.authenticate(bearer(TestTokens.rs256(TestTokens.RSA, true, claims().build())))).id()).isEqualTo("alice");
        assertThat(accepted(both.authenticate(bearer(TestTokens.rs256(TestTokens.RSA, false, claims().build())))).id()).isEqualTo("alice");
        assertThat(accepted(both.authenticate(bearer(TestTokens.es256(claims().build())))).id()).isEqualTo("alice");
        assertThat(accepted(both.authenticate(bearer(hs256(b -> b)))).id()).isEqualTo("alice");
        rejected(both.authenticate(bearer(TestTokens.rs256(TestTokens.OTHER_RSA, true, claims().build()))),
                ErrorCode.AUTH_FAILED, "no key of the JWKS has the token's kid");
        rejected(both.authenticate(bearer(TestTokens.rs256Kid(TestTokens.OTHER_RSA, "rsa-1", claims().build()))),
                ErrorCode.AUTH_FAILED, "bad signature");
        rejected(both.authenticate(bearer(TestTokens.rs256(TestTokens.RSA, true,
                claims().expirationTime(Date.from(NOW.minusSeconds(60))).build()))), ErrorCode.AUTH_FAILED, "token expired");
        rejected(both.authenticate(bearer(TestTokens.rs256Kid(TestTokens.RSA, "ec-1", claims().build()))),
                ErrorCode.AUTH_FAILED, "no key of the JWKS has the token's kid"); // an RSA token can not use the EC key
    }

    @Test
    void hsRsConfusionNeverPasses() {
        // with a secret: the public key is not the secret
        rejected(withJwks(true).authenticate(bearer(TestTokens.hs256WithRsaPublicKey(claims().build()))),
                ErrorCode.AUTH_FAILED, "bad signature");
        // without one: HS256 is not accepted at all
        rejected(withJwks(false).authenticate(bearer(TestTokens.hs256WithRsaPublicKey(claims().build()))),
                ErrorCode.AUTH_FAILED, "algorithm HS256 is not accepted (accepted: RS256, ES256)");
        rejected(withJwks(false).authenticate(bearer(TestTokens.hs256WithRsaPublicKeyPem(claims().build()))),
                ErrorCode.AUTH_FAILED, "algorithm HS256 is not accepted (accepted: RS256, ES256)");
        // and RS256 without a JWKS is refused (the test above shows the message with the secret alone)
        rejected(withJwks(true).authenticate(bearer(TestTokens.unsigned(claims().build()))),
                ErrorCode.AUTH_FAILED, "unsigned tokens (alg none) are not accepted");
    }

    @Test
    void checkTakesATokenFoundElsewhere() throws JOSEException {
        assertThat(accepted(production.check(hs256(b -> b))).id()).isEqualTo("alice");
        assertThat(((Authenticator.Rejected) production.check(null)).code()).isEqualTo(ErrorCode.AUTH_MISSING);
        assertThat(((Authenticator.Rejected) production.check("")).code()).isEqualTo(ErrorCode.AUTH_MISSING);
        assertThat(accepted(dev.check(null))).isEqualTo(Principal.ANONYMOUS);
    }

    @Test
    void settingsNeedASecretOrAJwksAndAJwksOfPublicSigningKeys() {
        assertThatThrownBy(() -> new JwtAuthenticator.Settings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false)).hasMessage("a JWT secret or a JWKS is needed");
        assertThatThrownBy(() -> JwtAuthenticator.checkJwks(new com.nimbusds.jose.jwk.JWKSet(List.of(
                new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(SECRET.getBytes(StandardCharsets.UTF_8)).keyID("k").build()))))
                .hasMessage("the JWKS may hold RSA and EC public keys only, not oct (kid k)");
        assertThat(JwtAuthenticator.checkJwks(new com.nimbusds.jose.jwk.JWKSet(TestTokens.RSA)).getKeys().get(0).isPrivate())
                .isFalse();
        assertThat(withJwks(true).toString()).doesNotContain(SECRET);
    }
}
