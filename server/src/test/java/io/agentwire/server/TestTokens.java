package io.agentwire.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Tokens for tests: HS256 with {@link TestConfigs#SECRET}, RS256/ES256 with generated keys, and forged ones. */
final class TestTokens {
    static final RSAKey RSA = generateRsa("rsa-1");
    static final RSAKey OTHER_RSA = generateRsa("rsa-other");
    static final ECKey EC = generateEc("ec-1");
    /** The public JWKS a server verifies RS256 and ES256 tokens with (RSA and EC keys). */
    static final String JWKS = new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString();

    private TestTokens() { }

    static JWTClaimsSet.Builder claims(String sub, String... projects) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
        if (projects.length > 0) b.claim("projects", List.of(projects));
        return b;
    }

    static String hs256(String sub, String... projects) {
        return hs256(claims(sub, projects).build());
    }

    static String hs256(JWTClaimsSet claims) {
        return sign(new JWSHeader(JWSAlgorithm.HS256), mac(bytes(TestConfigs.SECRET)), claims);
    }

    static String hs256With(byte[] secret, JWTClaimsSet claims) {
        return sign(new JWSHeader(JWSAlgorithm.HS256), mac(secret), claims);
    }

    static String rs256(RSAKey key, boolean withKid, JWTClaimsSet claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.RS256);
        if (withKid) h.keyID(key.getKeyID());
        try {
            return sign(h.build(), new RSASSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RS256 signed with {@code key} under another key's id. */
    static String rs256Kid(RSAKey key, String kid, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), new RSASSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(EC.getKeyID()).build(), new ECDSASigner(EC), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** A valid HS256 token whose header was switched to {@code alg: none}, signature kept. */
    static String noneHeaderWithSignature(JWTClaimsSet claims) {
        String[] parts = hs256(claims).split("\\.");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        return header + "." + parts[1] + "." + parts[2];
    }

    /**
     * A valid HS256 token whose signature segment is not canonical base64url: its last character carries bits the
     * 32 signature bytes do not use (a lenient decoder reads the same bytes, so the signature still "verifies").
     */
    static String nonCanonicalSignature(JWTClaimsSet claims) {
        String token = hs256(claims);
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = alphabet.indexOf(last);
        return token.substring(0, token.length() - 1) + alphabet.charAt(v ^ 1); // a low bit the decoder drops
    }

    /** An HS256 token signed over {@code payload} exactly as given (e.g. a number as {@code sub}, or padding). */
    static String hs256Raw(String headerSegment, String payloadSegment) {
        try {
            String input = headerSegment + "." + payloadSegment;
            byte[] sig = new MACSigner(bytes(TestConfigs.SECRET)).sign(new JWSHeader(JWSAlgorithm.HS256), bytes(input)).decode();
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base64url (unpadded) of a JSON text. */
    static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(json));
    }

    /** The HS256 header segment. */
    static final String HS256_HEADER = segment("{\"alg\":\"HS256\"}");

    /** A token with {@code sub} a JSON number. */
    static String numericSubject() {
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        return hs256Raw(HS256_HEADER, segment("{\"sub\":42,\"exp\":" + exp + "}"));
    }

    /** A token whose payload segment is padded with {@code =} (not the unpadded base64url RFC 7515 requires). */
    static String paddedPayload() {
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String json = "{\"sub\":\"alice\",\"exp\":" + exp + "}";
        String seg = Base64.getUrlEncoder().encodeToString(bytes(json));
        if (!seg.endsWith("=")) seg = Base64.getUrlEncoder().encodeToString(bytes(json + " "));
        return hs256Raw(HS256_HEADER, seg);
    }

    /** The classic HS/RS confusion: HS256 with the server's RSA public key (X.509 DER) as the HMAC secret. */
    static String hs256WithRsaPublicKey(JWTClaimsSet claims) {
        try {
            return hs256With(RSA.toRSAPublicKey().getEncoded(), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same confusion with the public key's PEM text as the secret. */
    static String hs256WithRsaPublicKeyPem(JWTClaimsSet claims) {
        try {
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.UTF_8))
                    .encodeToString(RSA.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            return hs256With(bytes(pem), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner mac(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
