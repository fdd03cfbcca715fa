package io.agentwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens the rooms dialect refuses with spec 004's {@code connection_error} (AUTH_FAILED) and those it accepts, over
 * the official socket.io-client, on servers with an HS256 secret, a JWKS (RS256, ES256), or both.
 */
@Tag("integration")
class RoomsAuthTest {
    @TempDir Path dir;

    private AgentWireServer server(boolean secret, boolean jwks) {
        Map<String, Object> flags = TestConfigs.local(dir);
        if (jwks) flags.put("agentwire.auth.jwt.jwks", TestTokens.JWKS);
        Map<String, String> env = new HashMap<>(Map.of("AGENTWIRE_API_KEY", RoomsServerTest.KEY));
        if (secret) env.put("AGENTWIRE_JWT_SECRET", TestConfigs.SECRET);
        AgentWireServer s = new AgentWireServer(AgentWireConfig.load(null, env, flags));
        s.start();
        return s;
    }

    private static JsonNode connectEach(AgentWireServer s, Map<String, String> tokens) throws Exception {
        Map<String, Object> p = RoomsHarness.params(s.port("rooms"), RoomsServerTest.KEY);
        p.put("tokens", tokens);
        return RoomsHarness.run("tokens", p, RoomsServerTest.LIMIT);
    }

    private static JWTClaimsSet valid() {
        return TestTokens.claims("alice").build();
    }

    @Test
    void withASecretAndAJwksGoodTokensOfEachAlgorithmAreAcceptedAndForgedOnesRefused() throws Exception {
        Instant now = Instant.now();
        Map<String, String> good = new LinkedHashMap<>();
        good.put("hs256", TestTokens.hs256(valid()));
        good.put("rs256", TestTokens.rs256(TestTokens.RSA, true, valid()));
        good.put("rs256WithoutKid", TestTokens.rs256(TestTokens.RSA, false, valid()));
        good.put("es256", TestTokens.es256(valid()));
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", TestTokens.hs256(TestTokens.claims("alice").expirationTime(Date.from(now.minusSeconds(120))).build()));
        bad.put("expiredRs256", TestTokens.rs256(TestTokens.RSA, true,
                TestTokens.claims("alice").expirationTime(Date.from(now.minusSeconds(120))).build()));
        bad.put("notYetValid", TestTokens.hs256(TestTokens.claims("alice").notBeforeTime(Date.from(now.plusSeconds(120))).build()));
        bad.put("wrongSecret", TestTokens.hs256With("another-secret-0123456789abcdef-0123".getBytes(StandardCharsets.UTF_8), valid()));
        bad.put("rs256OtherKeyTrustedKid", TestTokens.rs256Kid(TestTokens.OTHER_RSA, "rsa-1", valid()));
        bad.put("rs256OtherKeyNoKid", TestTokens.rs256(TestTokens.OTHER_RSA, false, valid()));
        bad.put("rs256UnknownKid", TestTokens.rs256(TestTokens.OTHER_RSA, true, valid()));
        bad.put("algNone", TestTokens.unsigned(valid()));
        bad.put("algNoneHeaderWithSignature", TestTokens.noneHeaderWithSignature(valid()));
        bad.put("hs256WithRsaPublicKey", TestTokens.hs256WithRsaPublicKey(valid()));
        bad.put("hs256WithRsaPublicKeyPem", TestTokens.hs256WithRsaPublicKeyPem(valid()));
        bad.put("hs512", hs512());
        bad.put("noSubject", TestTokens.hs256(TestTokens.claims("alice").subject(null).build()));
        // issue 17 (5, 9): principal ids are 1..256 characters without whitespace or control characters, a string;
        // every segment is canonical unpadded base64url
        bad.put("subjectWithSpace", TestTokens.hs256(TestTokens.claims("al ice").build()));
        bad.put("subjectWithNewline", TestTokens.hs256(TestTokens.claims("alice\nadmin").build()));
        bad.put("subjectTooLong", TestTokens.hs256(TestTokens.claims("a".repeat(257)).build()));
        bad.put("subjectANumber", TestTokens.numericSubject());
        bad.put("nonCanonicalSignature", TestTokens.nonCanonicalSignature(valid()));
        bad.put("paddedPayload", TestTokens.paddedPayload());
        try (AgentWireServer s = server(true, true)) {
            JsonNode r = connectEach(s, merge(good, bad));
            good.keySet().forEach(name -> {
                assertThat(r.path(name).path("accepted").asBoolean()).as(name).isTrue();
                assertThat(r.path(name).path("user").asText()).as(name).isEqualTo("alice");
            });
            bad.keySet().forEach(name -> assertRefused(r.path(name), name));
            assertThat(r.path("_connectionsAfter").asInt()).as("refused sockets are not counted").isZero();
        }
    }

    @Test
    void withOnlyASecretRs256AndEs256AreRefused() throws Exception {
        try (AgentWireServer s = server(true, false)) {
            JsonNode r = connectEach(s, Map.of("hs256", TestTokens.hs256(valid()),
                    "rs256", TestTokens.rs256(TestTokens.RSA, true, valid()), "es256", TestTokens.es256(valid())));
            assertThat(r.path("hs256").path("accepted").asBoolean()).isTrue();
            assertRefused(r.path("rs256"), "rs256");
            assertRefused(r.path("es256"), "es256");
        }
    }

    @Test
    void withOnlyAJwksHs256IsRefusedWhateverItWasSignedWith() throws Exception {
        try (AgentWireServer s = server(false, true)) {
            JsonNode r = connectEach(s, Map.of("rs256", TestTokens.rs256(TestTokens.RSA, true, valid()),
                    "hs256", TestTokens.hs256(valid()),
                    "hs256WithRsaPublicKey", TestTokens.hs256WithRsaPublicKey(valid()),
                    "hs256WithRsaPublicKeyPem", TestTokens.hs256WithRsaPublicKeyPem(valid())));
            assertThat(r.path("rs256").path("accepted").asBoolean()).isTrue();
            assertRefused(r.path("hs256"), "hs256");
            assertRefused(r.path("hs256WithRsaPublicKey"), "hs256WithRsaPublicKey");
            assertRefused(r.path("hs256WithRsaPublicKeyPem"), "hs256WithRsaPublicKeyPem");
        }
    }

    private static void assertRefused(JsonNode r, String name) {
        assertThat(r.path("accepted").asBoolean()).as(name).isFalse();
        assertThat(r.path("message").asText()).as(name).isEqualTo("Invalid or expired token");
        assertThat(r.path("data").path("type").asText()).as(name).isEqualTo("connection.error");
        assertThat(r.path("data").path("data").path("error_code").asText()).as(name).isEqualTo("AUTH_FAILED");
        assertThat(r.path("data").path("data").path("connection_id").isNull()).as(name).isTrue();
    }

    private static String hs512() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), valid());
        jwt.sign(new MACSigner((TestConfigs.SECRET + TestConfigs.SECRET).getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }
}
